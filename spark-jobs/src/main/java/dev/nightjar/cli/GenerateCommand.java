package dev.nightjar.cli;

import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.family.Families;
import dev.nightjar.nd4j.NativeTuning;
import dev.nightjar.storage.Bundles;
import dev.nightjar.text.NextTokens;
import dev.nightjar.text.TextSampler;
import dev.nightjar.text.Tokenizer;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Sample text from a language-model bundle and print it (runs in this JVM, no Spark).")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Language-model bundle directory (model.zip, tokenizer.json; local or hdfs://), or REGISTRY/NAME@latest.")
    String model;

    @Option(names = "--prompt", defaultValue = "", description = "Text the sample continues (default: none, a new document).")
    String prompt;

    @Option(names = "--length", defaultValue = "500", description = "Tokens to generate: characters for a char model (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", defaultValue = "0.8",
            description = "Below 1: safer, more repetitive; above 1: more surprising; 0: always the likeliest (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--seed", defaultValue = "42", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        NativeTuning.apply(1); // one sequence, one step at a time: more threads only add overhead
        ModelBundle bundle = Bundles.load(model, new Configuration());
        Tokenizer tokenizer = bundle.requireTokenizer();
        NextTokens lm = Families.of(bundle).nextTokens(bundle.network(), tokenizer);
        String text = new TextSampler(lm, tokenizer).sample(prompt, length, temperature, seed);
        System.out.println(prompt + text);
        return 0;
    }
}
