package dev.nightjar.train;

import org.apache.spark.api.java.JavaRDDLike;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/**
 * DL4J's parameter-averaging master, told how many records the next {@code fitPaths} call gets.
 * DL4J would otherwise run a Spark job per call just to {@code count()} the paths (and cache them
 * for it: {@code storageLevelStreams}); the trainer knows the number, since it cut the round itself.
 * The count only decides whether DL4J splits the call further (it does not: a round is at most
 * workers x averaging-frequency records, one split), so the training is the same. Without a count
 * given, DL4J counts as before.
 */
final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {
    private long nextCount = -1;

    RoundTrainingMaster(Builder builder) {
        super(builder);
    }

    /** The number of paths the next {@code fitPaths} call trains on; used once. */
    void expect(long records) {
        nextCount = records;
    }

    @Override
    protected <T, R extends JavaRDDLike<T, R>> long getTotalDataSetObjectCount(JavaRDDLike<T, R> trainingData) {
        if (nextCount < 0) {
            return super.getTotalDataSetObjectCount(trainingData);
        }
        long n = nextCount;
        nextCount = -1;
        return n;
    }
}
