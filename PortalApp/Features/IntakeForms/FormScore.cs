namespace PortalApp.Features.IntakeForms;

/// <summary>A form's total: the scores of the options picked, when the form's options carry scores (PHQ-9); else none.</summary>
public static class FormScore
{
    public static decimal? Total(FormDefinition definition, FormAnswers answers)
    {
        decimal? total = null;
        foreach (var (item, _) in FormItems.InOrder(definition.Items ?? []))
        {
            var options = item.Options ?? [];
            if (item.Type is not (FormItemType.Choice or FormItemType.OpenChoice) || !options.Any(o => o.Score is not null))
                continue;
            total ??= 0;
            foreach (var code in answers[item.LinkId]?.Values ?? [])
                total += options.FirstOrDefault(o => o.Code == code)?.Score ?? 0;
        }
        return total;
    }
}
