package dev.nightjar.demo;

import dev.nightjar.eval.ModelComparison;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SentimentDemoTest {
    private static ModelComparison.Result of(long correct) {
        return new ModelComparison.Result("kind", 402, correct, correct / 402.0, 0, 1, null, 1);
    }

    @Test
    void theReportSaysWhyTheChampionWonAndWhenItIsWithinNoise() {
        Map<String, ModelComparison.Result> validation = new LinkedHashMap<>();
        validation.put("glove-cnn", of(299));
        validation.put("finetuned", of(265));
        validation.put("baseline", of(300));
        String champion = ModelComparison.best(validation);
        assertEquals("baseline", champion);
        String why = SentimentDemo.why(champion, validation, 0.128);
        assertTrue(why.startsWith("baseline validated best: 300 of 402 sentences (0.7463); the runner-up, glove-cnn, 299 (0.7438), "
                + "1 sentence(s) fewer. GloVe does not know 12.8% of the train split's words; a margin within"), why);
        validation.put("baseline", of(360)); // 60 more than the runner-up: 2 standard errors are about 17 sentences here
        assertTrue(SentimentDemo.why("baseline", validation, 0.9).endsWith("words."), SentimentDemo.why("baseline", validation, 0.9));
    }
}
