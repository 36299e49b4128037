namespace CFBench.Contracts;

/// <summary>What a model trains on: the user×item training interactions, read-only. Validation and test
/// interactions are never handed to a plugin.</summary>
public sealed class TrainingSet
{
    private InteractionMatrix? _itemUsers;

    public TrainingSet(string datasetName, InteractionMatrix userItems)
    {
        DatasetName = datasetName;
        UserItems = userItems;
    }

    public string DatasetName { get; }
    public InteractionMatrix UserItems { get; }
    public int Users => UserItems.Rows;
    public int Items => UserItems.Columns;
    public int Interactions => UserItems.Count;

    /// <summary>The item×user transpose, built on first use.</summary>
    public InteractionMatrix ItemUsers => _itemUsers ??= UserItems.Transpose();
}
