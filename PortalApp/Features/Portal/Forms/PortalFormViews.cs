using PortalApp.Data;
using PortalApp.Features.IntakeForms;

namespace PortalApp.Features.Portal.Forms;

/// <summary>A form in the patient's Intake forms list.</summary>
/// <param name="AppointmentStartUtc">The linked appointment, whose time the form is due before.</param>
public sealed record PortalFormSummary(int AssignmentId, string Title, FormAssignmentStatus Status, DateTime SentAtUtc,
    DateTime? DraftSavedAtUtc, DateTime? SubmittedAtUtc, DateTime? AppointmentStartUtc, DateTime? DueAtUtc);

/// <summary>One screen of a form: a top-level group, or a run of top-level questions outside any group.</summary>
public sealed record FormSection(int Number, string? Title, IReadOnlyList<FormItem> Items)
{
    /// <summary>The sections a patient steps through; staff-only groups are no section of theirs.</summary>
    public static IReadOnlyList<FormSection> Of(FormDefinition definition)
    {
        var sections = new List<FormSection>();
        var loose = new List<FormItem>();
        void CloseLoose()
        {
            if (loose.Count > 0)
                sections.Add(new FormSection(sections.Count + 1, null, [.. loose]));
            loose.Clear();
        }
        foreach (var item in (definition.Items ?? []).Where(i => !i.StaffOnly))
        {
            if (item.Type != FormItemType.Group)
            {
                loose.Add(item);
                continue;
            }
            CloseLoose();
            sections.Add(new FormSection(sections.Count + 1, item.Text, [item]));
        }
        CloseLoose();
        return sections.Count > 0 ? sections : [new FormSection(1, null, [])];
    }
}

/// <summary>A form as the patient opens it: the version's questions and the answers to show.</summary>
/// <param name="Answers">The draft's answers, with answers from the previous response where the draft has none.</param>
/// <param name="PrefillNotes">By link id: "From your answer of 7 Mar 2026" where the answer shown is the previous one.</param>
public sealed record PortalFormView(
    int AssignmentId, string Title, int VersionNumber, FormDefinition Definition, FormAssignmentStatus Status, FormAnswers Answers,
    IReadOnlyDictionary<string, string> PrefillNotes, DateTime? DraftSavedAtUtc, DateTime? SubmittedAtUtc, DateTime? AppointmentStartUtc,
    IReadOnlyDictionary<int, string> AttachmentNames)
{
    public bool IsReadOnly => Status is FormAssignmentStatus.Submitted or FormAssignmentStatus.Withdrawn;
    public IReadOnlyList<FormSection> Sections { get; } = FormSection.Of(Definition);
}

public abstract record PortalFormOpen
{
    public sealed record Opened(PortalFormView Form) : PortalFormOpen;

    /// <summary>Not this patient's form, or not one this account may see: the page answers 404.</summary>
    public sealed record NotFound : PortalFormOpen;

    public sealed record Refused(string Reason) : PortalFormOpen;
}

public abstract record FormSaveResult
{
    /// <param name="Problems">By link id, for the section posted; the valid answers were saved all the same.</param>
    public sealed record Saved(DateTime SavedAtUtc, IReadOnlyDictionary<string, string> Problems) : FormSaveResult;

    public sealed record NotFound : FormSaveResult;

    public sealed record Refused(string Reason) : FormSaveResult;
}

public abstract record FormSubmitResult
{
    public sealed record Submitted(int ResponseId, string PdfSha256) : FormSubmitResult;

    /// <param name="Problems">By link id, over the whole form: the page goes to the first section that has one.</param>
    public sealed record Incomplete(IReadOnlyDictionary<string, string> Problems) : FormSubmitResult;

    public sealed record NotFound : FormSubmitResult;

    public sealed record Refused(string Reason) : FormSubmitResult;
}
