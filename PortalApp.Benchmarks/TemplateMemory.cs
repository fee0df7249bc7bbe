using System.Diagnostics;
using System.Text;
using PortalApp.Data;
using PortalApp.Features.Templates;

namespace PortalApp.Benchmarks;

/// <summary>
/// Issue 9's figures: the process's memory while the real renderer renders the worst clinic template we can write,
/// against rendering the default invite in the same run. Peak working set is the whole process's high-water mark
/// (it only grows, so the baseline runs first); allocated bytes are what the case itself allocated.
/// </summary>
public static class TemplateMemory
{
    /// <summary>
    /// The worst template the renderer accepted before the Liquid allow-list: ten characters doubled 26 times in a loop
    /// (671 million characters, 1.3 GB as UTF-16, plus the half it was doubled from) while the output stays one number.
    /// 55 steps, far under the step limit; nothing is written, so the output limit never sees it.
    /// </summary>
    public const string DoublingTemplate =
        "{% assign s = '0123456789' %}{% for i in (1..26) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }} {{ invite_link }}";

    /// <summary>
    /// The worst a clinic can still write: every allowed filter the shape limit leaves (100) on the longest value,
    /// then that value printed until the output nearly reaches its limit. The value is a 300-character address of
    /// ampersands, each escaped to five characters before it reaches the template, so every print writes 1,500.
    /// </summary>
    public static string LongestAcceptedOutput()
    {
        var body = new StringBuilder("{{ invite_link }}\n{{ clinic.address");
        for (var i = 0; i < TemplateLanguage.MaxFilters; i++)
            body.Append(i % 2 == 0 ? " | upcase" : " | downcase");
        body.Append(" }}\n");
        for (var i = 0; i < 125; i++)
            body.Append("{{ clinic.address }}\n");
        return body.ToString();
    }

    public static async Task RunAsync()
    {
        var renderer = new TemplateRenderer();
        var model = new TemplateModel("Emma", null, "Smith", "Maple Grove Clinic", "(416) 555-0100", "120 Maple Ave, Toronto",
            StaffName: "Fran Desk", InviteLink: "https://portal.clinic.example/register/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
            InviteExpiresOn: "Wednesday 11 March 2026");
        var invite = DefaultTemplates.For(TemplateKind.PortalInvite, DateTime.UtcNow);
        Console.WriteLine($"Cores: {Environment.ProcessorCount}; server GC: {System.Runtime.GCSettings.IsServerGC}");
        Console.WriteLine($"{"case",-44} {"outcome",-12} {"allocated",12} {"peak working set",18} {"time",10}");

        await MeasureAsync("baseline: default invite, rendered 1,000 times", async () =>
        {
            TemplateRenderResult last = null!;
            for (var i = 0; i < 1_000; i++)
                last = await renderer.RenderAsync(invite.Subject, invite.Body, model);
            return last;
        });
        var ampersands = model with { ClinicAddress = new string('&', 300) };
        await MeasureAsync("worst accepted: output at the limit", () => renderer.RenderAsync("Hi", LongestAcceptedOutput(), ampersands));
        await MeasureAsync("old worst: a string doubled in a loop", () => renderer.RenderAsync("Hi", DoublingTemplate, model));
    }

    private static async Task MeasureAsync(string name, Func<Task<TemplateRenderResult>> render)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        string outcome;
        try
        {
            outcome = await render() switch
            {
                TemplateRenderResult.Rendered => "rendered",
                TemplateRenderResult.Failed failed => "refused",
                _ => "?",
            };
        }
        catch (OutOfMemoryException)
        {
            outcome = "out of memory";
        }
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine($"{name,-44} {outcome,-12} {Megabytes(allocated),12} {Megabytes(process.PeakWorkingSet64),18} {watch.Elapsed.TotalMilliseconds,8:N0} ms");
    }

    private static string Megabytes(long bytes) => $"{bytes / 1_048_576.0:N1} MB";
}
