using PortalApp.Features.IntakeForms;

namespace PortalApp.Features.Portal.Forms;

/// <summary>
/// What a post to a form may weigh. The app's own limits (256 KB, 64 values) fit its small forms, not a 500-question
/// form with one file: the form's pages and draft endpoint take these, and nothing else does.
/// </summary>
public static class PortalFormPosts
{
    /// <summary>Every answer at its longest is far more than a real form; the answers' own JSON bound is 2 MB.</summary>
    public const int MaxFieldsBytes = FormJson.MaxAnswersJsonBytes;

    /// <summary>One file of at most 10 MB with the section's other answers.</summary>
    public const int MaxBodyBytes = FormLimits.MaxAttachmentBytes + MaxFieldsBytes;

    /// <summary>Each question posts a few values (a box per picked option, "other" text, consent box and name).</summary>
    public const int MaxValues = FormLimits.MaxItems * 4;
}
