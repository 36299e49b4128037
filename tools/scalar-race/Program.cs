using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

// TorchSharp 0.107 hands libtorch the handle of a temporary Scalar (1.0000001 below, and the alpha = 1 that add_
// makes itself) and keeps no reference to it during the native call. When a garbage collection runs meanwhile, the
// Scalar's finalizer frees it while libtorch reads it. A collection can only start during the call if another
// thread allocates, so this runs the same in-place arithmetic twice: alone, then beside a thread that allocates.
var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;
set_num_threads(1);
Console.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}, {seconds} s per pass");
Console.WriteLine(Pass("alone", seconds, allocate: false));
Console.WriteLine(Pass("beside an allocating thread", seconds, allocate: true));

static string Pass(string name, double seconds, bool allocate)
{
    var stop = new CancellationTokenSource();
    var allocator = new Thread(() =>
    {
        var kept = new List<byte[]>();
        while (!stop.IsCancellationRequested)
        {
            kept.Add(new byte[2048]);
            if (kept.Count > 200) kept.Clear();
        }
    }) { IsBackground = true };
    if (allocate) allocator.Start();

    int collections = GC.CollectionCount(0);
    long calls = 0, failures = 0;
    var messages = new SortedSet<string>();
    using var x = rand(4096);
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed.TotalSeconds < seconds)
    {
        try
        {
            x.mul_(1.0000001).add_(1e-9).clamp_min_(-1e30);
        }
        catch (ExternalException e)
        {
            failures++;
            messages.Add(e.Message.Split('\n')[0]);
        }
        calls += 3;
    }
    stop.Cancel();
    if (allocate) allocator.Join();
    return $"{name}: {calls:N0} native calls, {GC.CollectionCount(0) - collections:N0} collections, {failures} libtorch errors" +
           (messages.Count > 0 ? $": {string.Join(" | ", messages)}" : "");
}
