using PortalApp.Auditing;
using PortalApp.Data;

namespace PortalApp.Features.IntakeForms.Sending;

/// <summary>
/// What to send: the latest published version of each form, optionally linked to one of the client's upcoming
/// appointments (its start is the forms' due date), with the message written from an Intake form request template.
/// </summary>
/// <param name="TemplateId">The template to write the message from; null: the clinic's default Intake form request template.</param>
public sealed record SendIntakeFormRequest(int ClientId, IReadOnlyList<int> FormIds, int? AppointmentId = null, int? TemplateId = null);

/// <summary>Who sends forms: a staff member, or the system applying a rule by appointment type (no staff user is faked).</summary>
public abstract record FormSender
{
    /// <summary>Written on the forms, the conversation and the message as the sender.</summary>
    public abstract string DisplayName { get; }

    /// <summary>The staff member the audit log names; null for the system.</summary>
    public abstract StaffActor? AuditActor { get; }

    /// <summary>The rule recorded on each form it sent (<see cref="FormAssignment.FormRuleId"/>); null when staff sent them.</summary>
    public virtual int? FormRuleId => null;

    /// <summary>Who signs the message ({{ staff.name }}).</summary>
    public abstract string Signature { get; }

    public sealed record StaffMember(StaffActor Staff) : FormSender
    {
        public override string DisplayName => Staff.DisplayName;
        public override StaffActor? AuditActor => Staff;
        public override string Signature => Staff.DisplayName;
    }

    /// <param name="RuleId">The <see cref="FormRule"/> that applies.</param>
    /// <param name="Description">How staff read the rule, e.g. "General health history 3 days before New patient assessment".</param>
    public sealed record Rule(int RuleId, string Description) : FormSender
    {
        public override string DisplayName => Truncate($"Rule: {Description}", 200);
        public override StaffActor? AuditActor => null;
        public override int? FormRuleId => RuleId;
        public override string Signature => "The team";
    }

    public static implicit operator FormSender(StaffActor staff) => new StaffMember(staff);

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}

/// <summary>The answer to sending intake forms.</summary>
public abstract record IntakeFormSendResult
{
    /// <param name="AssignmentIds">One per form, in the order the forms were asked for.</param>
    public sealed record Sent(int ConversationId, IReadOnlyList<int> AssignmentIds) : IntakeFormSendResult;

    /// <summary>The client cannot be sent forms now (end-dated, no portal account, forms already waiting).</summary>
    public sealed record Refused(string Reason) : IntakeFormSendResult;

    /// <summary>What was asked for cannot be sent (no form, too many, archived or unpublished forms, an appointment not upcoming…).</summary>
    public sealed record Invalid(IReadOnlyList<string> Problems) : IntakeFormSendResult;
}

/// <summary>The message exactly as it would be sent, for the Preview.</summary>
public abstract record IntakeFormPreviewResult
{
    public sealed record Ready(string Subject, string Body, IReadOnlyList<string> FormTitles, DateTime? DueAtUtc) : IntakeFormPreviewResult;

    public sealed record NotSendable(IntakeFormSendResult Why) : IntakeFormPreviewResult;
}

/// <summary>A published form the panel offers, with the version that would go.</summary>
public sealed record SendableForm(int Id, string Title, int VersionNumber);

/// <summary>An upcoming appointment of the client, as the panel lists it.</summary>
public sealed record LinkableAppointment(int Id, DateTime StartUtc, string Description);

public sealed record IntakeFormSendOptions(IReadOnlyList<SendableForm> Forms, IReadOnlyList<LinkableAppointment> Appointments,
    IReadOnlyList<Templates.TemplateSummary> Templates, TimeZoneInfo Zone);

public static class IntakeFormSendMessages
{
    public const int MaxFormsAtOnce = 10;
    public const string NoForm = "Pick at least one form to send.";
    public const string ClientGone = "This client no longer exists.";
    public const string TemplateGone = "That template no longer exists: pick another one.";
    public const string NoTemplate = "There is no Intake form request template: an admin must create one in Templates.";
    public const string FormGone = "A form you picked no longer exists: reload and pick again.";

    public static string TooMany(int count) => $"You picked {count} forms; send at most {MaxFormsAtOnce} at once.";
    public static string Ended(string name) => $"{name}'s card is end-dated, so they cannot be sent forms.";
    public static string NoPortalAccount(string name) =>
        $"{name} has no patient portal account (and no caregiver with full access), so nobody could open the forms. Send the patient portal invite first.";
    public static string Archived(string title) => $"“{title}” is archived and cannot be sent.";
    public static string NeverPublished(string title) => $"“{title}” has never been published: publish it on the Forms page before sending it.";
    public static string NotTheirAppointment(string name) => $"That appointment is not {name}'s: pick one of theirs, or none.";
    public const string RuleAlreadySent = "This rule has already sent its form for this appointment.";
    public const string NotUpcoming = "That appointment is not upcoming (it is cancelled or has already started): pick an upcoming one, or none.";
    public static string AlreadyWaiting(string name, IReadOnlyList<string> titles, bool forAppointment) =>
        $"{name} already has {string.Join(", ", titles.Select(t => $"“{t}”"))} to fill in{(forAppointment ? " for this appointment" : "")}, so {(titles.Count == 1 ? "it was" : "they were")} not sent again.";
}
