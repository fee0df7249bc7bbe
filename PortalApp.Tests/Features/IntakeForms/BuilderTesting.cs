using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace PortalApp.Tests.Features.IntakeForms;

/// <summary>bUnit with MudBlazor (TOOLCHAIN.md) for the builder, which needs no database; inputs are found by their labels.</summary>
public abstract class BuilderTesting : BunitContext
{
    protected BuilderTesting()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>The input a label with exactly this text points at, as a person (or Playwright's GetByLabel) finds it.</summary>
    protected static IElement Labelled<T>(IRenderedComponent<T> cut, string label) where T : IComponent
    {
        var matches = cut.FindAll("label").Where(l => l.TextContent.Trim() == label).ToList();
        var element = Assert.Single(matches);
        // A MudCheckBox or MudRadio label wraps its input instead of naming it with "for".
        if (element.GetAttribute("for") is not { Length: > 0 } target)
            return element.QuerySelector("input") ?? throw new Xunit.Sdk.XunitException($"The label \"{label}\" points at no input.");
        return cut.Find($"[id='{target}']");
    }

    /// <summary>The id a captured ElementReference has in bUnit's markup (AngleSharp lower-cases the attribute's name).</summary>
    protected static string? ElementReferenceId(IElement element) => element.GetAttribute("blazor:elementreference");

    protected static IElement Button<T>(IRenderedComponent<T> cut, string accessibleName) where T : IComponent =>
        Assert.Single(cut.FindAll("button"), b => (b.GetAttribute("aria-label") ?? b.TextContent.Trim()) == accessibleName);

    /// <summary>Opens the MudSelect with this label and picks the item with this text.</summary>
    protected static void Choose<T>(IRenderedComponent<T> cut, string label, string item) where T : IComponent
    {
        Labelled(cut, label).Closest(".mud-input-control")!.MouseDown();
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll(".mud-list-item"), i => i.TextContent.Trim() == item));
        cut.FindAll(".mud-list-item").First(i => i.TextContent.Trim() == item).Click();
    }

    /// <summary>The texts a MudSelect with this label offers.</summary>
    protected static IReadOnlyList<string> Offered<T>(IRenderedComponent<T> cut, string label) where T : IComponent
    {
        Labelled(cut, label).Closest(".mud-input-control")!.MouseDown();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(".mud-popover-open .mud-list-item")));
        return [.. cut.FindAll(".mud-popover-open .mud-list-item").Select(i => i.TextContent.Trim())];
    }
}
