package dev.nightjar.eval;

import org.apache.spark.api.java.function.Function2;
import org.nd4j.evaluation.classification.Evaluation;

public final class MergeEvaluations implements Function2<Evaluation, Evaluation, Evaluation> {
    @Override
    public Evaluation call(Evaluation a, Evaluation b) {
        a.merge(b);
        return a;
    }
}
