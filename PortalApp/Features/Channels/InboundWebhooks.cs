using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Twilio.TwiML;

namespace PortalApp.Features.Channels;

/// <summary>
/// The provider's webhooks for what patients send: texts to the clinic's number, and the reminder call's script and
/// keys. Anonymous (the provider has no account here) but refused with 403 unless the request carries Twilio's
/// signature of the clinic's public URL and the fields, checked before anything is read into the database.
/// </summary>
public static class InboundWebhooks
{
    /// <summary>Twilio posts about twenty short fields (an SMS body is at most 1,600 characters): 16 KB is plenty.</summary>
    public const int MaxRequestBytes = 16 * 1024;

    private const int MaxFields = 64, MaxDigits = 10;

    public static void MapInboundWebhooks(this IEndpointRouteBuilder endpoints)
    {
        Webhook(endpoints.MapPost(WebhookPaths.InboundSms, ReceiveSmsAsync));
        Webhook(endpoints.MapMethods(Route(WebhookPaths.VoiceTemplate), [HttpMethods.Get, HttpMethods.Post], CallAsync));
        Webhook(endpoints.MapPost(Route(WebhookPaths.GatherTemplate), KeyAsync));
    }

    private static string Route(string template) => string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "{id:long}");

    private static void Webhook(RouteHandlerBuilder endpoint) => endpoint
        .AllowAnonymous()
        .DisableAntiforgery() // the provider cannot hold our antiforgery token; its signature is checked instead
        // Kestrel stops reading the body past 16 KB (routing applies this to the request); SignedFormAsync checks
        // again, for servers without that feature.
        .WithMetadata(new RequestSizeLimitAttribute(MaxRequestBytes));

    private static async Task<IResult> ReceiveSmsAsync(HttpContext context, TwilioSignature signature, Clinic.ClinicSettingsService clinic,
        InboundReplies replies, ILogger<InboundReplies> logger)
    {
        var (form, refusal) = await SignedFormAsync(context, signature, clinic, logger);
        if (form is null)
            return refusal!;
        var sid = form.GetValueOrDefault("MessageSid") ?? "";
        var from = form.GetValueOrDefault("From") ?? "";
        if (sid.Length is 0 or > Data.OutboundMessage.MaxProviderIdLength || from.Length == 0)
            return Bare(context, StatusCodes.Status400BadRequest);
        var reply = await replies.ReceiveSmsAsync(from, form.GetValueOrDefault("To") ?? "", form.GetValueOrDefault("Body") ?? "", sid, context.RequestAborted);
        var twiml = new MessagingResponse();
        if (reply.Say is { } say)
            twiml.Message(say);
        return Twiml(twiml.ToString());
    }

    private static async Task<IResult> CallAsync(long id, HttpContext context, TwilioSignature signature, Clinic.ClinicSettingsService clinic,
        InboundReplies replies, ILogger<InboundReplies> logger)
    {
        var (form, refusal) = await SignedFormAsync(context, signature, clinic, logger);
        if (form is null)
            return refusal!;
        if (await replies.ReminderCallAsync(id, context.RequestAborted) is not { } call)
            return NotFound(context);
        return Twiml(VoiceScript.Call(call.Body, await GatherUrlAsync(clinic, id), call.Language));
    }

    private static async Task<IResult> KeyAsync(long id, HttpContext context, TwilioSignature signature, Clinic.ClinicSettingsService clinic,
        InboundReplies replies, ILogger<InboundReplies> logger)
    {
        var (form, refusal) = await SignedFormAsync(context, signature, clinic, logger);
        if (form is null)
            return refusal!;
        var callSid = form.GetValueOrDefault("CallSid") ?? "";
        if (callSid.Length is 0 or > Data.OutboundMessage.MaxProviderIdLength - MaxDigits - 1)
            return Bare(context, StatusCodes.Status400BadRequest);
        var digits = form.GetValueOrDefault("Digits") ?? "";
        digits = digits.Length > MaxDigits ? digits[..MaxDigits] : digits;
        if (await replies.HandleKeyAsync(id, digits, callSid, context.RequestAborted) is not { } reply)
            return NotFound(context);
        if (reply.Say is { } say)
            return Twiml(VoiceScript.Answer(say, reply.Language));
        var settings = await clinic.GetAsync(context.RequestAborted);
        return Twiml(context.Request.Query.ContainsKey("again")
            ? VoiceScript.Answer(Reminders.ResponseWords.NoAnswer(settings, reply.Language), reply.Language)
            : VoiceScript.AskAgain(await GatherUrlAsync(clinic, id), settings, reply.Language));
    }

    private static async Task<string> GatherUrlAsync(Clinic.ClinicSettingsService clinic, long id) =>
        WebhookPaths.Absolute((await clinic.GetAsync()).PublicBaseUrl, WebhookPaths.Gather(id));

    /// <summary>
    /// The posted fields when the request is small enough and Twilio signed them and the URL it was given; otherwise
    /// the refusal: 413 for too much, 403 for no valid signature.
    /// </summary>
    private static async Task<(IReadOnlyDictionary<string, string>? Fields, IResult? Refusal)> SignedFormAsync(HttpContext context,
        TwilioSignature signature, Clinic.ClinicSettingsService clinic, ILogger logger)
    {
        if (context.Request.ContentLength > MaxRequestBytes)
            return (null, Bare(context, StatusCodes.Status413PayloadTooLarge));
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
        {
            foreach (var (key, value) in await context.Request.ReadFormAsync(context.RequestAborted))
                fields[key] = value.ToString();
        }
        // A body sent without its length was read within the app's own limit (RequestLimits): what arrived is checked.
        if (fields.Count > MaxFields || fields.Sum(f => f.Key.Length + f.Value.Length) > MaxRequestBytes)
            return (null, Bare(context, StatusCodes.Status413PayloadTooLarge));
        // The address Twilio signed is the clinic's public one, never this request's Host.
        var url = WebhookPaths.Absolute((await clinic.GetAsync(context.RequestAborted)).PublicBaseUrl, context.Request.Path.Value + context.Request.QueryString.Value);
        if (signature.IsValid(url, fields, context.Request.Headers[TwilioSignature.Header]))
            return (fields, null);
        logger.LogWarning("Refused a provider webhook without a valid signature: {RequestPath}", context.Request.Path.Value);
        return (null, Bare(context, StatusCodes.Status403Forbidden));
    }

    private static IResult NotFound(HttpContext context) => Bare(context, StatusCodes.Status404NotFound);

    // The provider reads no HTML error page: the status code alone, without the app's status-code page.
    private static IResult Bare(HttpContext context, int status)
    {
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
            statusPages.Enabled = false;
        return TypedResults.StatusCode(status);
    }

    private static IResult Twiml(string xml) => TypedResults.Content(xml, "text/xml; charset=utf-8");
}
