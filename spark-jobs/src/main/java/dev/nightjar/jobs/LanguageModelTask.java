package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.Splits;
import dev.nightjar.data.text.LmRecordLoader;
import dev.nightjar.eval.Evaluator;
import dev.nightjar.eval.LanguageModelMetrics;
import dev.nightjar.eval.ValidationRunner;
import dev.nightjar.model.LanguageModelConfig;
import dev.nightjar.model.LanguageModels;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.storage.Bundles;
import dev.nightjar.text.Segmenter;
import dev.nightjar.text.Tokenizer;
import dev.nightjar.train.SegmentMetrics;
import dev.nightjar.train.TrainConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;
import java.util.Map;

/** Next-token language modelling on an lm dataset; the bundle carries the dataset's tokenizer. */
final class LanguageModelTask implements TrainingTask {
    private final JavaSparkContext sc;
    private final Manifest.TextInfo text;
    private final Tokenizer tokenizer;
    private final LanguageModelConfig model;
    private final TrainConfig train;

    private final String initFrom;

    /** @param initFrom a language-model bundle to continue from (same tokenizer and shape), or null */
    LanguageModelTask(JavaSparkContext sc, Config c, Manifest manifest, Tokenizer tokenizer, String initFrom) {
        this.sc = sc;
        this.initFrom = initFrom;
        this.text = manifest.text();
        this.tokenizer = tokenizer;
        this.model = LanguageModelConfig.from(c);
        this.train = TrainConfig.from(c);
    }

    @Override
    public String kind() {
        return "language-model";
    }

    @Override
    public MultiLayerNetwork create() {
        MultiLayerNetwork net = LanguageModels.create(model, tokenizer.size(), text.seqLen(), train.epochs());
        if (initFrom != null) {
            ModelBundle from = Bundles.load(initFrom, sc.hadoopConfiguration());
            if (!"language-model".equals(from.kind()) || !tokenizer.equals(from.requireTokenizer())) {
                throw new UserException("--init-from " + initFrom + " must be a language model with the dataset's tokenizer "
                        + "(prepare the data with --tokenizer-from " + initFrom + ")");
            }
            Map<String, org.nd4j.linalg.api.ndarray.INDArray> mine = net.paramTable();
            Map<String, org.nd4j.linalg.api.ndarray.INDArray> theirs = from.network().paramTable();
            for (Map.Entry<String, org.nd4j.linalg.api.ndarray.INDArray> e : mine.entrySet()) {
                org.nd4j.linalg.api.ndarray.INDArray other = theirs.get(e.getKey());
                if (other == null || !java.util.Arrays.equals(other.shape(), e.getValue().shape()) || theirs.size() != mine.size()) {
                    throw new UserException("--init-from " + initFrom + " has another shape than model.lm.* gives (parameter " + e.getKey()
                            + "); set model.lm.embedding-size and lstm-sizes as the language model was trained");
                }
            }
            // the weights continue, and so does the updater's state (Adam's moments): a fresh Adam at full rate
            // knocks a trained model back; the learning rate and schedule are this run's
            net.setParams(from.network().params().dup());
            org.nd4j.linalg.api.ndarray.INDArray state = net.getUpdater().getStateViewArray();
            org.nd4j.linalg.api.ndarray.INDArray saved = from.network().getUpdater().getStateViewArray();
            if (state != null && saved != null && java.util.Arrays.equals(state.shape(), saved.shape())) {
                state.assign(saved);
            }
        }
        return net;
    }

    @Override
    public DataSetLoader loader(int epoch) {
        return new LmRecordLoader(tokenizer.size(), model.oneHot(), train.effectiveThreads());
    }

    @Override
    public long unitsPerExample() {
        return text.seqLen();
    }

    @Override
    public SegmentMetrics normalise(SegmentMetrics raw) {
        return raw.perToken(LanguageModels.stepsPerTrainingScore(model, text.seqLen()));
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public String lossUnit() {
        return "nats per token";
    }

    @Override
    public ValidationRunner<LanguageModelMetrics> validation(List<String> records) {
        DataSetLoader loader = new LmRecordLoader(tokenizer.size(), model.oneHot(), train.effectiveThreads());
        boolean chars = tokenizer.segmenter() == Segmenter.CHAR;
        return new ValidationRunner<>(records, net -> LanguageModelMetrics.of(Splits.VALIDATION,
                new Evaluator(sc).tokenLoss(net, records, loader, train.workers()), chars), LanguageModelMetrics::summary);
    }

    @Override
    public Map<String, Object> provenance() {
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        p.put("seq_len", text.seqLen());
        p.put("tokenizer", tokenizer.type());
        p.put("vocab_size", tokenizer.size());
        p.put("input", model.input());
        p.put("init_from", initFrom);
        return p;
    }

    @Override
    public ModelBundle bundle(MultiLayerNetwork trained, Map<String, Object> provenance) {
        return new ModelBundle(trained, null, tokenizer, provenance);
    }
}
