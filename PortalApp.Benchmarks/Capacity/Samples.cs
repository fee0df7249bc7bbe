namespace PortalApp.Benchmarks.Capacity;

/// <summary>Medians and percentiles of one figure's samples, nearest-rank, as every capacity command reports them.</summary>
public static class Samples
{
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
            throw new InvalidOperationException("No samples.");
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    public static string Load() =>
        File.Exists("/proc/loadavg") ? $"load average {string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}" : "load average unknown";

    public static void Header(string figure) =>
        Console.WriteLine($"{figure} · {Environment.ProcessorCount} cores · {Load()} · {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
}
