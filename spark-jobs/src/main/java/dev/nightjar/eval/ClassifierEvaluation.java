package dev.nightjar.eval;

import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.classification.ROC;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * DL4J's {@link Evaluation} of a classifier and, for two classes, an exact {@link ROC} of the
 * second class's probability (it keeps every probability of the evaluated split); for images, the
 * most confident mistakes ({@link Mistakes}, bounded). Mergeable.
 */
public final class ClassifierEvaluation implements Serializable {
    private static final long serialVersionUID = 1L;

    final Evaluation evaluation;
    final ROC roc;
    final Mistakes mistakes;

    public ClassifierEvaluation(List<String> labels) {
        this(labels, 0);
    }

    /** @param keepMistakes the most confident misclassified images to keep (0 = none) */
    public ClassifierEvaluation(List<String> labels, int keepMistakes) {
        // a mutable list: Kryo cannot rebuild the JDK's immutable lists
        this.evaluation = new Evaluation(new ArrayList<>(labels));
        this.roc = labels.size() == 2 ? new ROC(0) : null;
        this.mistakes = new Mistakes(keepMistakes);
    }

    /** @param labels one-hot [n, classes]; probabilities [n, classes] */
    public void eval(INDArray labels, INDArray probabilities) {
        evaluation.eval(labels, probabilities);
        if (roc != null) {
            roc.eval(labels, probabilities);
        }
    }

    /** Keeps the batch's misclassified images among the most confident mistakes (images only; features [n, c, h, w]). */
    public void collectMistakes(String record, INDArray features, INDArray labels, INDArray probabilities) {
        mistakes.look(record, features, labels, probabilities);
    }

    /** The most confident misclassified images, most confident first (empty unless kept). */
    public List<Mistake> mistakes() {
        return mistakes.list();
    }

    public ClassifierEvaluation merge(ClassifierEvaluation o) {
        evaluation.merge(o.evaluation);
        mistakes.merge(o.mistakes);
        if (roc != null) {
            roc.merge(o.roc);
        }
        return this;
    }

    public Evaluation evaluation() {
        return evaluation;
    }

    /** Area under the ROC curve of the second label, or null unless there are two classes. */
    public Double rocAuc() {
        return roc == null || evaluation.getNumRowCounter() == 0 ? null : roc.calculateAUC();
    }

    /** Merges two partitions' evaluations. */
    public static final class Merge implements org.apache.spark.api.java.function.Function2<ClassifierEvaluation, ClassifierEvaluation, ClassifierEvaluation> {
        private static final long serialVersionUID = 1L;

        @Override
        public ClassifierEvaluation call(ClassifierEvaluation a, ClassifierEvaluation b) {
            return a.merge(b);
        }
    }
}
