using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Responses;
using PortalApp.Features.Portal;
using PortalApp.Features.Portal.Forms;
using Stats = PortalApp.Benchmarks.IntakeFormTiming.Stats;

namespace PortalApp.Benchmarks;

/// <summary>
/// Submitting the 120-question form (PortalFormsService.SubmitAsync: validate, make the PDF, write under the row lock)
/// against the bare database work of the same submit, each run on a sent form of its own in a real SQLite file.
/// The PDF alone is timed too, to show where the time goes.
/// </summary>
public static class IntakeSubmitTiming
{
    public const int Runs = 200, Warmup = 50;

    public static async Task<Stats> RunAsync(FormDefinition definition, FormAnswers answers)
    {
        await using var host = await BenchmarkHost.StartAsync();
        var factory = host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var json = answers.ToJson();
        var (client, version, bare, real) = await SeedAsync(factory, definition, json);

        var baseline = await IntakeFormTiming.TimeAsync(Warmup, Runs, i => BareSubmitAsync(factory, bare[i], json));
        IntakeFormTiming.Print("submit baseline: insert response + update assignment", baseline);

        var patient = new PortalPatient(client.Id, client.FirstName, client.LastName, null, true, CaregiverAccessLevel.Full, null);
        var session = new PortalSession(new PortalAccount("bench-patient", patient.FullName, [patient]), patient);
        var service = host.Scoped<PortalFormsService>();
        var submitted = await IntakeFormTiming.TimeAsync(Warmup, Runs, async i =>
        {
            if (await service.SubmitAsync(session, real[i]) is not FormSubmitResult.Submitted)
                throw new InvalidOperationException($"Submitting sent form {real[i]} did not submit.");
        });
        IntakeFormTiming.Print("submit: PortalFormsService.SubmitAsync", submitted, baseline);

        var content = new FormResponsePdfContent("Bench Clinic", version.Title, version.Number, patient.FullName, patient.FullName, DateTime.UtcNow,
            IntakeFormTiming.Zone, FormAnswerDisplay.Rows(definition, answers, IntakeFormTiming.Zone), null);
        var pdf = await IntakeFormTiming.TimeAsync(Warmup, Runs, _ =>
        {
            FormResponsePdf.Make(content);
            return Task.CompletedTask;
        });
        var made = FormResponsePdf.Make(content);
        IntakeFormTiming.Print($"  PDF alone: FormResponsePdf.Make ({CountPages(made)} pages, {made.Length / 1024.0:N0} KB)", pdf);
        return submitted;
    }

    /// <summary>The same submit's writes, nothing else: the assignment read, its response inserted and the assignment marked, in one transaction.</summary>
    private static async Task BareSubmitAsync(IDbContextFactory<PortalDbContext> factory, int assignmentId, string json)
    {
        await using var db = await factory.CreateDbContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        var assignment = await db.FormAssignments.SingleAsync(a => a.Id == assignmentId);
        var now = DateTime.UtcNow;
        var response = db.FormResponses.Add(new FormResponse
        {
            FormAssignmentId = assignment.Id, ClientId = assignment.ClientId, IntakeFormId = assignment.IntakeFormId,
            IntakeFormVersionId = assignment.IntakeFormVersionId, AnswersJson = json, SubmittedAtUtc = now, FilledByName = "Nora Bench",
        }).Entity;
        await db.SaveChangesAsync();
        assignment.Status = FormAssignmentStatus.Submitted;
        assignment.SubmittedAtUtc = now;
        assignment.FormResponseId = response.Id;
        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    /// <summary>A client, the form published, and a sent form with the complete answers as its draft for every run of each side.</summary>
    private static async Task<(Client Client, IntakeFormVersion Version, int[] Bare, int[] Real)> SeedAsync(
        IDbContextFactory<PortalDbContext> factory, FormDefinition definition, string answersJson)
    {
        await using var db = await factory.CreateDbContextAsync();
        var now = DateTime.UtcNow;
        var client = new Client { FirstName = "Nora", LastName = "Bench", DateOfBirth = new DateOnly(1984, 5, 12), CreatedAtUtc = now, UpdatedAtUtc = now };
        var form = new IntakeForm { Title = definition.Title, Description = definition.Description, CreatedAtUtc = now };
        db.AddRange(client, form);
        await db.SaveChangesAsync();
        var definitionJson = FormJson.Serialize(definition);
        var version = new IntakeFormVersion
        {
            IntakeFormId = form.Id, Number = 1, Title = definition.Title, DefinitionJson = definitionJson,
            DefinitionSha256 = FormJson.Sha256(definitionJson), PublishedAtUtc = now, PublishedByName = "Bench",
        };
        db.IntakeFormVersions.Add(version);
        await db.SaveChangesAsync();
        var assignments = Enumerable.Range(0, 2 * (Warmup + Runs)).Select(_ => new FormAssignment
        {
            ClientId = client.Id, IntakeFormId = form.Id, IntakeFormVersionId = version.Id, Status = FormAssignmentStatus.ToDo,
            SentAtUtc = now, SentByName = "Bench", DraftAnswersJson = answersJson, DraftSavedAtUtc = now, DraftSavedByName = "Nora Bench",
        }).ToList();
        db.FormAssignments.AddRange(assignments);
        await db.SaveChangesAsync();
        var ids = assignments.Select(a => a.Id).ToArray();
        return (client, version, ids[..(Warmup + Runs)], ids[(Warmup + Runs)..]);
    }

    /// <summary>Pages in the PDF, from its page objects: a check that the whole form was drawn, not timed.</summary>
    private static int CountPages(byte[] pdf) =>
        System.Text.RegularExpressions.Regex.Count(System.Text.Encoding.Latin1.GetString(pdf), @"/Type\s*/Page\b");
}
