using PortalApp.Data;
using PortalApp.Features.IntakeForms;

namespace PortalApp.Tests.Features.IntakeForms;

/// <summary>
/// Puts published forms, sent forms and submitted responses straight into a database, for tests of what reads them
/// (the patient pages, the staff tab, compare). Tests of sending and submitting go through the services instead.
/// </summary>
public static class FormSeeds
{
    /// <summary>A new form with one published version of <paramref name="definition"/> (numbered after any earlier ones).</summary>
    public static async Task<IntakeFormVersion> PublishAsync(PortalDbContext db, FormDefinition definition, DateTime nowUtc, int? formId = null)
    {
        if (formId is null)
        {
            var form = new IntakeForm { Title = definition.Title, Description = definition.Description, CreatedAtUtc = nowUtc };
            db.IntakeForms.Add(form);
            await db.SaveChangesAsync();
            formId = form.Id;
        }
        var json = FormJson.Serialize(definition);
        var number = db.IntakeFormVersions.Where(v => v.IntakeFormId == formId).Select(v => (int?)v.Number).Max() ?? 0;
        var version = new IntakeFormVersion
        {
            IntakeFormId = formId.Value, Number = number + 1, Title = definition.Title, DefinitionJson = json,
            DefinitionSha256 = FormJson.Sha256(json), PublishedAtUtc = nowUtc, PublishedByName = "Seeded",
        };
        db.IntakeFormVersions.Add(version);
        await db.SaveChangesAsync();
        return version;
    }

    /// <summary>The version sent to a client, to do, as the Send intake form action leaves it.</summary>
    public static async Task<FormAssignment> AssignAsync(PortalDbContext db, int clientId, IntakeFormVersion version, DateTime nowUtc,
        int? appointmentId = null, DateTime? dueAtUtc = null)
    {
        var assignment = new FormAssignment
        {
            ClientId = clientId, IntakeFormId = version.IntakeFormId, IntakeFormVersionId = version.Id, AppointmentId = appointmentId,
            Status = FormAssignmentStatus.ToDo, SentAtUtc = nowUtc, SentByName = "Seeded", DueAtUtc = dueAtUtc,
        };
        db.FormAssignments.Add(assignment);
        await db.SaveChangesAsync();
        return assignment;
    }

    /// <summary>A submitted response to <paramref name="version"/>, with its assignment marked submitted when there is one.</summary>
    public static async Task<FormResponse> RespondAsync(PortalDbContext db, int clientId, IntakeFormVersion version, FormAnswers answers,
        DateTime submittedAtUtc, FormAssignment? assignment = null, string filledBy = "Seeded patient")
    {
        var definition = ((JsonRead<FormDefinition>.Read)FormJson.ReadDefinition(version.DefinitionJson)).Value;
        var response = new FormResponse
        {
            FormAssignmentId = assignment?.Id, ClientId = clientId, IntakeFormId = version.IntakeFormId, IntakeFormVersionId = version.Id,
            AnswersJson = answers.ToJson(), Score = FormScore.Total(definition, answers), SubmittedAtUtc = submittedAtUtc, FilledByName = filledBy,
        };
        db.FormResponses.Add(response);
        await db.SaveChangesAsync();
        if (assignment is not null)
        {
            db.FormAssignments.Attach(assignment);
            assignment.Status = FormAssignmentStatus.Submitted;
            assignment.SubmittedAtUtc = submittedAtUtc;
            assignment.FormResponseId = response.Id;
            assignment.NextReminderAtUtc = null;
            await db.SaveChangesAsync();
        }
        return response;
    }
}
