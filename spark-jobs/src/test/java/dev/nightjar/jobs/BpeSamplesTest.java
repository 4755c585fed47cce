package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.config.OptionOverride;
import dev.nightjar.data.Splits;
import dev.nightjar.data.shard.RecordRef;
import dev.nightjar.data.text.DocumentReader;
import dev.nightjar.data.text.LmRecordLoader;
import dev.nightjar.data.text.RawDoc;
import dev.nightjar.data.text.TextInput;
import dev.nightjar.data.text.TextPrep;
import dev.nightjar.data.text.TextPrepConfig;
import dev.nightjar.data.text.TextSources;
import dev.nightjar.demo.FetchSamples;
import dev.nightjar.testing.SharedSpark;
import dev.nightjar.text.TextCleaner;
import dev.nightjar.text.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code prepare text --tokenizer bpe --vocab-size 1000} on a file of the sample fortunes, through the config keys the options set. */
class BpeSamplesTest {
    private static final int SEQ = 64;

    @Test
    void anLmDatasetOfFortunesDecodesBackToItsCleanedText(@TempDir Path tmp) throws Exception {
        Path computers = FetchSamples.text(Path.of("..", "data", "samples")).fortunes().resolve("computers");
        List<TextInput> inputs = List.of(new TextInput("lines", null, "\n%\n", List.of(computers.toUri().toString())));
        Config c = OptionOverride.apply(Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of("prepare.text.batch-size=1",
                        "prepare.text.seq-len=" + SEQ))),
                new OptionOverride<>(TextPrepConfig.TOKENIZER, "--tokenizer", "bpe"), new OptionOverride<>(TextPrepConfig.VOCAB_SIZE, "--vocab-size", 1000));
        String out = tmp.resolve("ds").toString();
        TextPrep.Options o = TextPrepConfig.from(c).options(inputs, out, null, false);
        TextPrep.Result r = new TextPrep(SharedSpark.get()).run(o);
        Tokenizer tok = r.tokenizer();
        assertEquals(1000, tok.size());

        // each split's cleaned documents, each with its end marker, in the order prep reads them
        DocumentReader reader = new DocumentReader(o.seed(), o.valFraction(), o.testFraction());
        Map<String, StringBuilder> cleaned = new LinkedHashMap<>();
        for (RawDoc d : TextSources.read(SharedSpark.get(), inputs).map(new CopyDoc()).collect()) {
            StringBuilder split = cleaned.computeIfAbsent(reader.split(d), x -> new StringBuilder());
            int before = split.length();
            DocumentReader.clean(d, new TextCleaner(), split::append);
            if (split.length() > before) {
                split.append('\n');
            }
        }
        Map<String, List<Integer>> streams = new LinkedHashMap<>();
        LmRecordLoader loader = new LmRecordLoader(tok.size(), false, 1);
        for (String split : List.of(Splits.TRAIN, Splits.VALIDATION, Splits.TEST)) {
            for (String path : r.manifest().recordPaths(Path.of(out).toUri().toString(), split)) {
                DataSet ds = loader.load(path);
                List<Integer> stream = streams.computeIfAbsent(RecordRef.parse(path).shard(), s -> new ArrayList<>());
                if (stream.isEmpty()) {
                    stream.add(ds.getFeatures().getInt(0, 0, 0));
                }
                for (int t = 0; t < SEQ; t++) {
                    stream.add(ds.getLabels().getInt(0, 0, t));
                }
            }
        }
        long tokens = 0;
        long chars = 0;
        for (Map.Entry<String, List<Integer>> stream : streams.entrySet()) {
            String split = Path.of(stream.getKey()).getFileName().toString().split("-")[0]; // train-00000.bin
            String text = tok.decode(stream.getValue().stream().mapToInt(Integer::intValue).toArray());
            assertTrue(text.length() > 100 && cleaned.get(split).toString().contains(text), "a stream of the " + split
                    + " split decodes to its cleaned fortunes: " + text.substring(0, Math.min(200, text.length())));
            tokens += stream.getValue().size();
            chars += text.codePointCount(0, text.length());
        }
        double perToken = (double) chars / tokens;
        System.out.printf(Locale.ROOT, "bpe 1000 on fortunes/computers: %,d tokens, %.2f characters per token%n", tokens, perToken);
        // measured 2.41; Hugging Face tokenizers 0.23.2 (ByteLevel BPE, 1,000 ids, min frequency 2) on the same fortunes: 2.41
        assertTrue(perToken > 2.2, "1,000 ids on fortunes: " + perToken + " characters per token");
    }

    /** A document with its own bytes: a line's document shares the reader's buffer, which the next line overwrites. */
    static final class CopyDoc implements org.apache.spark.api.java.function.Function<RawDoc, RawDoc> {
        private static final long serialVersionUID = 1L;

        @Override
        public RawDoc call(RawDoc d) {
            return d.bytes == null ? d : RawDoc.ofBytes(java.util.Arrays.copyOf(d.bytes, d.length));
        }
    }
}
