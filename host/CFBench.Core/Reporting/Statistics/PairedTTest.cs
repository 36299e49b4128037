using MathNet.Numerics.Distributions;

namespace CFBench.Core.Reporting.Statistics;

/// <summary>Two-sided paired Student t-test on the differences <c>x[i] - y[i]</c>.</summary>
public static class PairedTTest
{
    /// <summary>Returns the t statistic (df = n - 1) and the two-sided p-value. Fewer than two pairs gives NaN.
    /// When every difference is equal the statistic is undefined: p is 1 if they are all zero, else 0.</summary>
    public static TestResult Test(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"paired samples differ in length ({x.Length} vs {y.Length})");
        int n = x.Length;
        if (n < 2) return new TestResult(double.NaN, double.NaN, n);

        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[i] - y[i];
        mean /= n;
        double ss = 0;
        for (int i = 0; i < n; i++)
        {
            double d = x[i] - y[i] - mean;
            ss += d * d;
        }
        double sd = Math.Sqrt(ss / (n - 1));
        if (sd == 0 || sd < Math.Abs(mean) * 1e-14)
            return mean == 0 ? new TestResult(0, 1, n) : new TestResult(Math.CopySign(double.PositiveInfinity, mean), 0, n);

        double t = mean / (sd / Math.Sqrt(n));
        double p = 2 * StudentT.CDF(0, 1, n - 1, -Math.Abs(t));
        return new TestResult(t, Math.Min(1, p), n);
    }
}

/// <summary>A test statistic, its two-sided p-value and the number of pairs it used.</summary>
public readonly record struct TestResult(double Statistic, double P, int Pairs);
