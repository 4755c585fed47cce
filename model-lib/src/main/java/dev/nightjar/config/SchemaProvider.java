package dev.nightjar.config;

/**
 * Names the application's {@link Schema} for {@link Schema#application()} and
 * {@link Configs#defaults()}: one implementation on the class path, registered in
 * {@code META-INF/services/dev.nightjar.config.SchemaProvider} (spark-jobs' {@code ConfigSchema}).
 */
public interface SchemaProvider {
    Schema schema();
}
