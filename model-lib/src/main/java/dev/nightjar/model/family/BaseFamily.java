package dev.nightjar.model.family;

/** What every family states the same way: its name, description, dataset kind and metrics kind. */
abstract class BaseFamily implements ModelFamily {
    private final String name;
    private final String description;
    private final DatasetKind dataset;
    private final MetricsKind metrics;

    BaseFamily(String name, DatasetKind dataset, MetricsKind metrics, String description) {
        this.name = name;
        this.description = description;
        this.dataset = dataset;
        this.metrics = metrics;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final DatasetKind dataset() {
        return dataset;
    }

    @Override
    public final MetricsKind metrics() {
        return metrics;
    }

    @Override
    public String toString() {
        return name;
    }
}
