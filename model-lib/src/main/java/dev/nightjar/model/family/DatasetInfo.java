package dev.nightjar.model.family;

import dev.nightjar.UserException;
import dev.nightjar.model.ImageShape;
import dev.nightjar.model.LabelMap;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.text.Tokenizer;

/**
 * What a family needs to know of a dataset to build, train, evaluate or score on it.
 *
 * @param kind      what the dataset holds
 * @param shape     image datasets: the input shape; otherwise null
 * @param labels    image and classification datasets: the class names; otherwise null
 * @param tokenizer text datasets: the tokenizer; otherwise null
 * @param seqLen    text datasets: tokens a sequence predicts (lm) or ids kept per document (classification); 0 otherwise
 * @param batchSize examples per shard record (the training minibatch)
 */
public record DatasetInfo(DatasetKind kind, ImageShape shape, LabelMap labels, Tokenizer tokenizer, int seqLen, int batchSize) {

    /** The tokenizer of a text dataset; a clear error for any other. */
    public Tokenizer requireTokenizer() {
        if (tokenizer == null) {
            throw new UserException("a text dataset is needed; this one holds " + kind.manifestName() + " records");
        }
        return tokenizer;
    }

    /**
     * A text dataset's part of a family's provenance, in this order: {@code lengthKey} (seq_len, max_len) with
     * {@link #seqLen()}, the tokenizer's type and its vocabulary size. The map is mutable, for the family's own keys.
     */
    public java.util.Map<String, Object> textProvenance(String lengthKey) {
        java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
        p.put(lengthKey, seqLen);
        p.put("tokenizer", requireTokenizer().type());
        p.put("vocab_size", tokenizer.size());
        return p;
    }

    /** The labels of a labelled dataset; a clear error for any other. */
    public LabelMap requireLabels() {
        if (labels == null) {
            throw new UserException("a labelled dataset is needed; this one holds " + kind.manifestName() + " records");
        }
        return labels;
    }

    /**
     * Fails unless a trained model can be evaluated on this dataset: the family's dataset kind, the
     * same labels in the same order (when its measure uses them), the same tokenizer, the same image shape.
     *
     * @param model the model's reference, for messages
     */
    public void requireFits(ModelFamily family, ModelBundle bundle, String model, String data) {
        if (family.dataset() != kind) {
            throw new UserException(model + " is a " + family.name() + ", which needs a " + family.dataset().manifestName() + " dataset; "
                    + data + " holds " + kind.manifestName() + " records");
        }
        if (labels != null && family.metrics().usesLabels() && !labels.equals(bundle.labels())) {
            throw new UserException("the dataset's labels " + labels + " differ from the model's " + bundle.labels()
                    + " (prepare the data with " + (kind == DatasetKind.IMAGE ? "--labels-from " + model
                    : "--labels " + String.join(",", bundle.labels() == null ? java.util.List.of() : bundle.labels().labels())) + ")");
        }
        if (tokenizer != null && !tokenizer.equals(bundle.requireTokenizer())) {
            throw new UserException("the dataset " + data + " was encoded with another tokenizer than the model's "
                    + "(prepare it with --tokenizer-from " + model + ")");
        }
        if (shape != null && !shape.equals(bundle.inputShape())) {
            throw new UserException("the dataset's images are " + shape + " but the model expects " + bundle.inputShape());
        }
    }
}
