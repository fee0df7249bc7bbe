using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using PortalApp.Features.IntakeForms;

namespace PortalApp.Benchmarks;

/// <summary>One labelled plain input of the render baseline.</summary>
public sealed record BareField(string Id, string Label, string Value);

/// <summary>The render baseline: labelled plain inputs with their values, nothing else (no sections, rules, choices or help).</summary>
public sealed class BareFormFields : ComponentBase
{
    [Parameter, EditorRequired] public IReadOnlyList<BareField> Fields { get; set; } = [];

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        foreach (var field in Fields)
        {
            builder.OpenElement(0, "div");
            builder.OpenElement(1, "label");
            builder.AddAttribute(2, "for", field.Id);
            builder.AddContent(3, field.Label);
            builder.CloseElement();
            builder.OpenElement(4, "input");
            builder.AddAttribute(5, "id", field.Id);
            builder.AddAttribute(6, "name", "a." + field.Id);
            builder.AddAttribute(7, "value", field.Value);
            builder.CloseElement();
            builder.CloseElement();
        }
    }
}

/// <summary>The compare baseline: two read-backs of one version side by side, row for row: no matching by link id, no word diff.</summary>
public sealed class BareAnswerTable : ComponentBase
{
    [Parameter, EditorRequired] public IReadOnlyList<AnswerRow> Earlier { get; set; } = [];
    [Parameter, EditorRequired] public IReadOnlyList<AnswerRow> Later { get; set; } = [];

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "table");
        for (var i = 0; i < Later.Count; i++)
        {
            builder.OpenElement(1, "tr");
            builder.OpenElement(2, "th");
            builder.AddContent(3, Later[i].Label);
            builder.CloseElement();
            builder.OpenElement(4, "td");
            builder.AddContent(5, Earlier[i].Answer);
            builder.CloseElement();
            builder.OpenElement(6, "td");
            builder.AddContent(7, Later[i].Answer);
            builder.CloseElement();
            builder.CloseElement();
        }
        builder.CloseElement();
    }
}
