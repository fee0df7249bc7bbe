using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Infrastructure;

namespace PortalApp.Features.Bulk.Unsubscribe;

/// <summary>
/// POST /unsubscribe/{token}: RFC 8058 one-click from the patient's email app ("List-Unsubscribe=One-Click", form-encoded
/// or multipart, no cookies), and the Unsubscribe button of the page at the same address (which sends
/// <see cref="SourceField"/>, so the card can say which it was). The page itself (GET) changes nothing.
/// </summary>
public static class UnsubscribeEndpoint
{
    /// <summary>One-click is one short field (a few lines as multipart); the page's button sends one too: 2 KB is plenty.</summary>
    public const int MaxRequestBytes = 2 * 1024;

    private const int MaxFields = 4;

    public const string OneClickField = "List-Unsubscribe", OneClickValue = "One-Click";
    public const string SourceField = "source", PageSource = "unsubscribe-page";

    public static void MapUnsubscribeEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(ClinicView.UnsubscribeLinkPath + "{token}", PostAsync)
            .AllowAnonymous()
            // The email app posts without our cookie or antiforgery token (RFC 8058): the link's 256-bit token is the
            // proof, and unsubscribing is all a post here can do. (The handler binds no form parameter, so the framework
            // would not ask for a token anyway; said here so nobody adds one.)
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimits.Unsubscribe)
            // Kestrel stops reading the body past this (routing applies it); the checks below hold on any server.
            .WithMetadata(new RequestSizeLimitAttribute(MaxRequestBytes))
            // The page at the same address is a Razor component, whose endpoint takes POST too: this one answers first.
            .WithOrder(-1);

    private static async Task<IResult> PostAsync(string token, HttpContext context, UnsubscribeService unsubscribe, ClinicSettingsService clinic)
    {
        var ct = context.RequestAborted;
        // These answers carry their own words; the app-wide status-code page must not replace them.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
            statusPages.Enabled = false;
        var settings = await clinic.GetAsync(ct);
        var posted = await ReadAsync(context);
        if (posted == Posted.TooMuch)
            return Answer(StatusCodes.Status413PayloadTooLarge, "Too much to send", "This is more than an unsubscribe sends, so nothing was changed.", settings);
        if (posted == Posted.NotAnUnsubscribe)
            return Answer(StatusCodes.Status400BadRequest, "Nothing was changed",
                "This was not an unsubscribe. To unsubscribe, open the link in the email and press Unsubscribe.", settings);
        var via = posted == Posted.PageButton ? UnsubscribeVia.LinkPage : UnsubscribeVia.OneClick;

        var state = await unsubscribe.UnsubscribeAsync(token, via, ct);
        if (via == UnsubscribeVia.LinkPage && state is not UnsubscribeState.NotSaved)
        {
            // Post, then redirect: the page shows where things stand, and a reload does not post again.
            context.Response.Headers.Location = ClinicView.UnsubscribeLinkPath + Uri.EscapeDataString(token);
            return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
        }
        return state switch
        {
            UnsubscribeState.Unsubscribed done => Answer(StatusCodes.Status200OK, UnsubscribeWords.Page(done.Language).DoneHeading,
                UnsubscribeWords.Unsubscribed(done.SinceUtc, settings, done.Language), settings, UnsubscribeWords.Page(done.Language).Lang),
            UnsubscribeState.NotSaved => Answer(StatusCodes.Status503ServiceUnavailable, "Not saved",
                "Your unsubscribe could not be saved just now, so nothing was changed. Please try again in a few minutes.", settings),
            _ => Answer(StatusCodes.Status410Gone, UnsubscribeWords.UnusableHeading, UnsubscribeWords.Unusable(settings, ClientLanguage.English), settings),
        };
    }

    private enum Posted
    {
        TooMuch,
        NotAnUnsubscribe,
        PageButton,
        OneClick,
    }

    private static async Task<Posted> ReadAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > MaxRequestBytes)
            return Posted.TooMuch;
        if (!request.HasFormContentType)
            return Posted.NotAnUnsubscribe;
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return Posted.TooMuch; // over the app's form limits (RequestLimits)
        }
        catch (BadHttpRequestException ex)
        {
            return ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? Posted.TooMuch : Posted.NotAnUnsubscribe;
        }
        // A body sent without its length was read within the app's own limit (RequestLimits): what arrived is checked.
        if (form.Files.Count > 0 || form.Count > MaxFields || form.Sum(f => f.Key.Length + f.Value.Sum(v => v?.Length ?? 0)) > MaxRequestBytes)
            return Posted.TooMuch;
        if (form[SourceField] == PageSource)
            return Posted.PageButton;
        return form[OneClickField] == OneClickValue ? Posted.OneClick : Posted.NotAnUnsubscribe;
    }

    private static IResult Answer(int status, string title, string message, ClinicView clinic, string lang = "en")
    {
        var html = HtmlEncoder.Default;
        return TypedResults.Content(
            $"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + $"<title>{html.Encode(title)} · {html.Encode(clinic.Name)}</title></head>"
            + "<body style=\"font-family:system-ui,sans-serif;max-width:640px;margin:40px auto;padding:0 16px;font-size:1.1rem\">"
            + $"<main><h1>{html.Encode(title)}</h1><p>{html.Encode(message)}</p></main></body></html>",
            "text/html; charset=utf-8", statusCode: status);
    }
}
