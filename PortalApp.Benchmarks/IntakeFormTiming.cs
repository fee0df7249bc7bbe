using System.Diagnostics;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Rendering;
using PortalApp.Features.IntakeForms.Reviewing;

namespace PortalApp.Benchmarks;

/// <summary>
/// Issue 12's figures for a 120-question form (IntakeFormSamples), each against a bare baseline of the same work in the
/// same run: rendering it on the server (p95 ≤ 20 ms), submitting it (p95 ≤ 50 ms, IntakeSubmitTiming) and the compare
/// view of two responses (p95 ≤ 30 ms).
/// </summary>
public static class IntakeFormTiming
{
    public const int Runs = 300, Warmup = 100;
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("America/Toronto");

    public sealed record Stats(double Median, double P95, double Max);

    public static async Task RunAsync()
    {
        var definition = IntakeFormSamples.Definition();
        var now = DateTime.UtcNow;
        var earlier = IntakeFormSamples.Answers(now);
        var later = IntakeFormSamples.LaterAnswers(earlier);
        MustBeComplete(definition, earlier, now, "earlier");
        MustBeComplete(definition, later, now, "later");

        Console.WriteLine($"Cores: {Environment.ProcessorCount}; render and compare: {Runs} runs after {Warmup} warm-up runs; " +
                          $"submit: {IntakeSubmitTiming.Runs} runs after {IntakeSubmitTiming.Warmup} warm-up runs");
        Console.WriteLine($"Form: {IntakeFormSamples.Sections} sections × {IntakeFormSamples.PerSection} questions, every one answered and shown");
        Console.WriteLine($"{"case",-62} {"median",10} {"p95",10} {"max",10}  real p95 / baseline p95");

        await using var renderer = ScheduleWeekTiming.NewRenderer();
        var render = await RenderAsync(renderer, definition, earlier);
        var submit = await IntakeSubmitTiming.RunAsync(definition, earlier);
        var compare = await CompareAsync(renderer, definition, earlier, later);

        Console.WriteLine($"Target render  p95 ≤ 20 ms: {Verdict(render, 20)}");
        Console.WriteLine($"Target submit  p95 ≤ 50 ms: {Verdict(submit, 50)}");
        Console.WriteLine($"Target compare p95 ≤ 30 ms: {Verdict(compare, 30)}");
    }

    private static async Task<Stats> RenderAsync(HtmlRenderer renderer, FormDefinition definition, FormAnswers answers)
    {
        var values = FieldValues.FromAnswers(answers);
        var fields = FormItems.InOrder(definition.Items).Where(i => FormItems.TakesAnswer(i.Item.Type))
            .Select(i => new BareField(FieldIds.For(i.Item.LinkId).Input, i.Item.Text, string.Join(", ", values.GetValueOrDefault(i.Item.LinkId) ?? [])))
            .ToList();
        var bareLength = 0;
        var baseline = await TimeAsync(Warmup, Runs, async _ => bareLength = (await HtmlAsync<BareFormFields>(renderer, new() { [nameof(BareFormFields.Fields)] = fields })).Length);
        var html = "";
        var real = await TimeAsync(Warmup, Runs, async _ => html = await HtmlAsync<IntakeFormFields>(renderer, new()
        {
            [nameof(IntakeFormFields.Definition)] = definition, [nameof(IntakeFormFields.Values)] = values,
            [nameof(IntakeFormFields.Errors)] = new Dictionary<string, string>(),
        }));
        // Not timed: the whole form was drawn with its answers, not an empty page.
        if (fields.Any(f => !html.Contains(f.Id, StringComparison.Ordinal)) || answers.ByLinkId.Values.Any(a => a.Values.Any(v => !html.Contains(v, StringComparison.Ordinal))))
            throw new InvalidOperationException("IntakeFormFields did not render every question with its answer.");
        var realLength = html.Length;
        Print($"render baseline: {fields.Count} bare inputs ({bareLength:N0} chars)", baseline);
        Print($"render: IntakeFormFields, whole form ({realLength:N0} chars)", real, baseline);
        return real;
    }

    private static async Task<Stats> CompareAsync(HtmlRenderer renderer, FormDefinition definition, FormAnswers earlier, FormAnswers later)
    {
        var bareLength = 0;
        var baseline = await TimeAsync(Warmup, Runs, async _ => bareLength = (await HtmlAsync<BareAnswerTable>(renderer, new()
        {
            [nameof(BareAnswerTable.Earlier)] = FormAnswerDisplay.Rows(definition, earlier, Zone),
            [nameof(BareAnswerTable.Later)] = FormAnswerDisplay.Rows(definition, later, Zone),
        })).Length);
        var submitted = DateTime.UtcNow;
        ResponseSummary Summary(int id, DateTime at) =>
            new(id, 1, "Nora Bench", 1, definition.Title, 1, at, "Nora Bench", false, null, null, null, null);
        var (first, second) = (Summary(1, submitted.AddDays(-90)), Summary(2, submitted));
        int realLength = 0, changed = 0;
        var real = await TimeAsync(Warmup, Runs, async _ =>
        {
            var comparison = ResponseComparison.Compare(definition, earlier, definition, later, Zone);
            changed = comparison.ChangedCount;
            realLength = (await HtmlAsync<ComparisonTable>(renderer, new()
            {
                [nameof(ComparisonTable.Comparison)] = comparison, [nameof(ComparisonTable.Earlier)] = first,
                [nameof(ComparisonTable.Later)] = second, [nameof(ComparisonTable.Zone)] = Zone,
            })).Length;
        });
        if (changed != 40)
            throw new InvalidOperationException($"The compare view found {changed} changed answers; the samples change 40.");
        Print($"compare baseline: two read-backs, bare table ({bareLength:N0} chars)", baseline);
        Print($"compare: Compare + ComparisonTable, {changed} changed ({realLength:N0} chars)", real, baseline);
        return real;
    }

    /// <summary>Fails the run, before any timing, unless every answer passes the submit's own check and every question is shown.</summary>
    public static void MustBeComplete(FormDefinition definition, FormAnswers answers, DateTime now, string which)
    {
        var problems = FormDefinitionRules.Check(definition);
        if (problems.Count > 0)
            throw new InvalidOperationException("The sample form is not valid: " + string.Join("; ", problems.Select(p => $"{p.LinkId}: {p.Message}")));
        var check = AnswerValidator.Check(definition, answers, AnswerPoster.Patient, complete: true, now);
        if (!check.IsValid)
            throw new InvalidOperationException($"The {which} sample answers do not pass AnswerValidator: " + string.Join("; ", check.Problems.Select(p => $"{p.Key}: {p.Value}")));
        var questions = IntakeFormSamples.Sections * IntakeFormSamples.PerSection;
        if (check.Kept.ByLinkId.Count != questions)
            throw new InvalidOperationException($"Only {check.Kept.ByLinkId.Count} of the {which} sample's {questions} answers are kept: some questions are hidden.");
    }

    public static Task<string> HtmlAsync<T>(HtmlRenderer renderer, Dictionary<string, object?> parameters) where T : IComponent =>
        renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync<T>(ParameterView.FromDictionary(parameters))).ToHtmlString());

    /// <summary>Runs <paramref name="work"/> (given the run's number) warm-up times untimed, then times each of the next runs.</summary>
    public static async Task<Stats> TimeAsync(int warmup, int runs, Func<int, Task> work)
    {
        var times = new List<double>(runs);
        for (var i = 0; i < warmup + runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await work(i);
            watch.Stop();
            if (i >= warmup)
                times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        double At(double q) => times[(int)Math.Ceiling(q * times.Count) - 1];
        return new Stats(At(0.5), At(0.95), times[^1]);
    }

    public static void Print(string name, Stats stats, Stats? baseline = null) =>
        Console.WriteLine($"{name,-62} {stats.Median,8:F2}ms {stats.P95,8:F2}ms {stats.Max,8:F2}ms" +
                          (baseline is null ? "" : $"  {stats.P95 / baseline.P95:F1}×"));

    private static string Verdict(Stats real, double target) => real.P95 <= target ? $"met (p95 {real.P95:F2} ms)" : $"missed (p95 {real.P95:F2} ms)";
}
