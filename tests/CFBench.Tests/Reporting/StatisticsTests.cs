using CFBench.Core.Reporting.Statistics;

namespace CFBench.Tests.Reporting;

public class StatisticsTests
{
    // Student's sleep data (Cushny & Peebles, 1905): extra hours of sleep under two drugs, same 10 patients.
    // Textbook result (R: t.test(g1, g2, paired = TRUE)): t = -4.0621, df = 9, p-value = 0.002833.
    private static readonly double[] SleepDrug1 = { 0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0 };
    private static readonly double[] SleepDrug2 = { 1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4 };

    [Fact]
    public void PairedTTest_matches_the_sleep_data_textbook_result()
    {
        var r = PairedTTest.Test(SleepDrug1, SleepDrug2);
        Assert.Equal(-4.0621, r.Statistic, 4);
        Assert.Equal(0.002833, r.P, 6);
        Assert.Equal(10, r.Pairs);
    }

    [Fact]
    public void PairedTTest_is_symmetric_and_handles_degenerate_samples()
    {
        Assert.Equal(PairedTTest.Test(SleepDrug1, SleepDrug2).P, PairedTTest.Test(SleepDrug2, SleepDrug1).P, 12);
        Assert.Equal(1.0, PairedTTest.Test(new[] { 1.0, 2, 3 }, new[] { 1.0, 2, 3 }).P);   // identical: no difference
        Assert.Equal(0.0, PairedTTest.Test(new[] { 2.0, 3, 4 }, new[] { 1.0, 2, 3 }).P);   // constant shift: certain
        Assert.True(double.IsNaN(PairedTTest.Test(new[] { 1.0 }, new[] { 0.0 }).P));
        Assert.Throws<ArgumentException>(() => PairedTTest.Test(new[] { 1.0, 2 }, new[] { 1.0 }));
    }

    [Fact]
    public void Wilcoxon_exact_p_counts_sign_patterns()
    {
        // Differences 1,-2,3,...,-7,...,10: W+ = 46, W- = 9. Subsets of {1..10} with rank sum <= 9: 33 of 1024,
        // so p = 2 * 33 / 1024 (R: wilcox.test gives V = 46, p = 0.06445).
        var d = new double[] { 1, -2, 3, 4, 5, 6, -7, 8, 9, 10 };
        var r = WilcoxonSignedRank.Test(d, new double[d.Length]);
        Assert.Equal(46, r.Statistic);
        Assert.Equal(66.0 / 1024, r.P, 12);

        // All ten positive: only the empty subset has sum 0, p = 2 / 1024.
        var all = WilcoxonSignedRank.Test(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, new double[10]);
        Assert.Equal(2.0 / 1024, all.P, 12);
    }

    [Fact]
    public void Wilcoxon_normal_approximation_uses_average_ranks_tie_correction_and_drops_zeros()
    {
        // Differences 1,1,-1,2,2,2,3,-3,4,0. The zero is dropped (n = 9). |d| ranks: the three 1s share rank 2, the
        // three 2s rank 5, the two 3s rank 7.5, the 4 rank 9. W+ = 2+2+5+5+5+7.5+9 = 35.5. Mean n(n+1)/4 = 22.5;
        // variance n(n+1)(2n+1)/24 - sum(t^3 - t)/48 = 71.25 - (24+24+6)/48 = 70.125; z = 13 / sqrt(70.125)
        // = 1.552412; two-sided p = erfc(z / sqrt 2) = 0.1205637 (no continuity correction).
        var d = new double[] { 1, 1, -1, 2, 2, 2, 3, -3, 4, 0 };
        var r = WilcoxonSignedRank.Test(d, new double[d.Length]);
        Assert.Equal(35.5, r.Statistic);
        Assert.Equal(9, r.Pairs);
        Assert.Equal(0.1205637, r.P, 6);
    }

    [Fact]
    public void Wilcoxon_sleep_data_with_ties_and_a_zero_uses_the_approximation()
    {
        // d = g1 - g2 = -1.2 -2.4 -1.3 -1.3 0 -1.0 -1.8 -0.8 -4.6 -1.4: one zero, one tie (1.3), all nonzero negative.
        // n = 9, W+ = 0, variance 71.25 - 6/48 = 71.125, z = -22.5 / sqrt(71.125) = -2.667911, p = 0.0076324.
        var r = WilcoxonSignedRank.Test(SleepDrug1, SleepDrug2);
        Assert.Equal(0, r.Statistic);
        Assert.Equal(9, r.Pairs);
        Assert.Equal(0.0076324, r.P, 6);
    }

    [Fact]
    public void Wilcoxon_all_zero_differences_give_p_one()
    {
        Assert.Equal(1.0, WilcoxonSignedRank.Test(new[] { 1.0, 2 }, new[] { 1.0, 2 }).P);
    }

    [Fact]
    public void Holm_multiplies_by_remaining_hypotheses_and_keeps_order()
    {
        // Sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04 -> monotone 0.02, 0.03, 0.06, 0.06.
        var adjusted = HolmCorrection.Adjust(new[] { 0.01, 0.04, 0.03, 0.005 });
        Assert.Equal(new[] { 0.03, 0.06, 0.06, 0.02 }, adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void Holm_caps_at_one_and_skips_missing_p_values()
    {
        var adjusted = HolmCorrection.Adjust(new[] { 0.5, double.NaN, 0.2 });
        Assert.Equal(0.4, adjusted[2], 12);   // m = 2, not 3
        Assert.Equal(0.5, adjusted[0], 12);   // max(0.4, 1 * 0.5)
        Assert.True(double.IsNaN(adjusted[1]));
        Assert.Equal(1.0, HolmCorrection.Adjust(new[] { 0.6, 0.7 })[0]);
    }
}
