using System.Text.Json;
using Microsoft.AspNetCore.Components;
using PortalApp.Components.Shared;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Rendering;

namespace PortalApp.Features.Portal.Forms;

/// <summary>
/// Filling in a form, one section a screen: Back, Next and Save post the section and save the draft (no script
/// needed), the last section leads to a review screen and the final Submit. The page's script only hides questions by
/// their rules and autosaves; the server decides both again at every post.
/// </summary>
public partial class PortalFormPage
{
    [Inject] private PortalFormsService Forms { get; set; } = null!;
    [Inject] private ClinicSettingsService Clinic { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [Parameter] public int AssignmentId { get; set; }

    [SupplyParameterFromQuery(Name = "section")] private string? SectionText { get; set; }
    [SupplyParameterFromQuery(Name = "step")] private string? Step { get; set; }

    private PortalFormView? _form;
    private string? _refused;
    private int _section = 1;
    private IReadOnlyDictionary<string, IReadOnlyList<string>> _values = new Dictionary<string, IReadOnlyList<string>>();
    private IReadOnlyDictionary<string, string> _problems = new Dictionary<string, string>();
    private string _clinicName = "";
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;

    protected override async Task OnSessionReadyAsync()
    {
        var clinic = await Clinic.GetAsync();
        (_clinicName, _zone) = (clinic.Name, clinic.TimeZone);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        switch (await Forms.OpenAsync(Session, AssignmentId))
        {
            case PortalFormOpen.Opened opened:
                _form = opened.Form;
                _section = int.TryParse(SectionText, out var n) && n >= 1 && n <= _form.Sections.Count ? n : 1;
                _values = ShownValues(_form);
                break;
            case PortalFormOpen.Refused refused:
                _refused = refused.Reason;
                break;
            default:
                Navigation.NotFound();
                break;
        }
    }

    private async Task SaveSectionAsync()
    {
        if (_form is null)
            return;
        var post = HttpContext.Request.Form;
        var go = post["go"].ToString();
        var values = FieldValues.FromPost(post, _form.Sections[_section - 1].Items);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        // Files first, so a required attachment question counts the file just chosen.
        foreach (var file in post.Files.Where(f => f.Length > 0 && f.Name.StartsWith(FieldValues.Prefix, StringComparison.Ordinal)))
        {
            await using var stream = file.OpenReadStream();
            if (await Forms.AttachAsync(Session, AssignmentId, file.Name[FieldValues.Prefix.Length..], file.FileName, stream, file.Length) is AttachResult.Refused refused)
                problems[file.Name[FieldValues.Prefix.Length..]] = refused.Reason;
        }
        var removing = post["remove"].ToString();
        if (removing.Length > 0)
            await Forms.RemoveAttachmentAsync(Session, AssignmentId, removing);
        var movingOn = removing.Length == 0 && problems.Count == 0 && go is "next" or "review";
        switch (await Forms.SavePostedAsync(Session, AssignmentId, _section, post, checkRequired: movingOn, audited: true))
        {
            case FormSaveResult.Saved saved when saved.Problems.Count > 0 || problems.Count > 0:
                foreach (var (linkId, message) in saved.Problems)
                    problems.TryAdd(linkId, message);
                // Shown again as typed, with the files now stored.
                await LoadAsync();
                _problems = problems;
                _values = values.Concat(_values.Where(v => !values.ContainsKey(v.Key))).ToDictionary(v => v.Key, v => v.Value);
                break;
            case FormSaveResult.Saved:
                Navigation.NavigateTo(removing.Length > 0 ? SectionLink(_section) : go switch
                {
                    "back" => SectionLink(Math.Max(1, _section - 1)),
                    "review" => $"/portal/forms/{AssignmentId}?step=review",
                    "save" => "/portal/forms",
                    _ => SectionLink(Math.Min(_form.Sections.Count, _section + 1)),
                });
                break;
            case FormSaveResult.Refused refused:
                _refused = refused.Reason;
                break;
            default:
                Navigation.NotFound();
                break;
        }
    }

    /// <summary>
    /// For the script's rules: the answers to questions on other screens that this screen's rules look at, as the rules
    /// read them (a question hidden by its own rule counts as unanswered).
    /// </summary>
    private static string KnownJson(PortalFormView form, FormSection section)
    {
        var here = FormItems.InOrder(section.Items).Select(i => i.Item.LinkId).ToHashSet(StringComparer.Ordinal);
        var shown = EnableWhenEvaluator.Shown(form.Definition, form.Answers);
        var known = FormItems.InOrder(section.Items).SelectMany(i => i.Item.EnableWhen).Select(r => r.Question)
            .Where(q => !here.Contains(q)).Distinct()
            .ToDictionary(q => q, q => shown.Contains(q) ? RuleValues(form.Answers[q]) : []);
        return JsonSerializer.Serialize(known);
    }

    private static string[] RuleValues(FormAnswer? answer) => answer switch
    {
        null => [],
        { Consent: { } consent } => [consent.Agreed && !string.IsNullOrWhiteSpace(consent.FullName) ? "true" : "false"],
        { AttachmentId: not null } => ["attached"],
        _ => [.. answer.Values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()), .. answer.OtherText is { Length: > 0 } other ? [other.Trim()] : Array.Empty<string>()],
    };

    private async Task SubmitAsync()
    {
        switch (await Forms.SubmitAsync(Session, AssignmentId))
        {
            case FormSubmitResult.Submitted:
                Navigation.NavigateTo($"/portal/forms/{AssignmentId}?step=sent");
                break;
            case FormSubmitResult.Incomplete incomplete when _form is not null:
                // Back to the first section with a problem, its messages beside its questions.
                var first = _form.Sections.First(s => FormItems.InOrder(s.Items).Any(i => incomplete.Problems.ContainsKey(i.Item.LinkId)));
                var ids = FormItems.InOrder(first.Items).Select(i => i.Item.LinkId).ToHashSet();
                _section = first.Number;
                _problems = incomplete.Problems.Where(p => ids.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value);
                break;
            case FormSubmitResult.Refused refused when _form is { IsReadOnly: false }:
                // Sent from another tab a moment ago: the form's page says when; anything else is said here.
                await LoadAsync();
                if (_form is { IsReadOnly: true })
                    Navigation.NavigateTo($"/portal/forms/{AssignmentId}");
                else
                    _refused = refused.Reason;
                break;
            default:
                Navigation.NotFound();
                break;
        }
    }

    private string SectionLink(int number) => $"/portal/forms/{AssignmentId}?section={number}";

    private IReadOnlyList<AnswerRow> Rows(PortalFormView form) =>
        FormAnswerDisplay.Rows(form.Definition, form.Answers, _zone, id => form.AttachmentNames.GetValueOrDefault(id));

    private static Dictionary<string, int> SectionNumbers(PortalFormView form) =>
        form.Sections.SelectMany(s => s.Items.Select(i => (i.LinkId, s.Number))).ToDictionary(x => x.LinkId, x => x.Number);

    private static Dictionary<string, string> Labels(PortalFormView form) =>
        FormItems.InOrder(form.Definition.Items).ToDictionary(i => i.Item.LinkId, i => i.Item.Text);

    private static bool HasAttachment(FormSection section) => FormItems.InOrder(section.Items).Any(i => i.Item.Type == FormItemType.Attachment);

    private static Dictionary<string, IReadOnlyList<string>> ShownValues(PortalFormView form)
    {
        var values = FieldValues.FromAnswers(form.Answers);
        foreach (var (linkId, answer) in form.Answers.ByLinkId)
        {
            if (answer.AttachmentId is { } id && form.AttachmentNames.TryGetValue(id, out var name))
                values[linkId] = [name];
        }
        return values;
    }

    private string? DraftText(PortalFormView form) => form.DraftSavedAtUtc is { } saved
        ? $"Draft saved {Dates.FormatClinicDate(saved, _zone)}, {Dates.FormatClinicClock(saved, _zone)}"
        : null;
}
