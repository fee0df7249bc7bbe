using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Rendering;

namespace PortalApp.Components.Shared;

/// <summary>
/// A password field that never writes its value into the page. InputText with type="password" renders value="…", so a
/// static form shown again after a mistake (a wrong date of birth, a weak password) sent the typed password back in
/// the HTML, where caches, saved pages and anyone reading the page source could see it. The person types it again.
/// </summary>
public sealed class InputPassword : InputBase<string?>
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "input");
        builder.AddMultipleAttributes(1, AdditionalAttributes);
        builder.AddAttribute(2, "type", "password");
        if (!string.IsNullOrEmpty(NameAttributeValue))
            builder.AddAttribute(3, "name", NameAttributeValue);
        if (!string.IsNullOrEmpty(CssClass))
            builder.AddAttribute(4, "class", CssClass);
        // Interactive use still binds what is typed; only the value attribute is never rendered.
        builder.AddAttribute(5, "onchange", EventCallback.Factory.CreateBinder<string?>(this, value => CurrentValueAsString = value, CurrentValueAsString));
        builder.CloseElement();
    }

    protected override bool TryParseValueFromString(string? value, out string? result, [NotNullWhen(false)] out string? validationErrorMessage)
    {
        result = value;
        validationErrorMessage = null;
        return true;
    }
}
