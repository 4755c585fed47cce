package dev.nightjar.eval;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ModelComparisonTest {
    private static ModelComparison.Result accuracy(long correct) {
        return new ModelComparison.Result("kind", 400, correct, correct / 400.0, 0, 1, null, 1);
    }

    @Test
    void theChampionIsTheMostAccurateAndATieGoesToTheFirstListed() {
        Map<String, ModelComparison.Result> validation = new LinkedHashMap<>();
        validation.put("glove-cnn", accuracy(306));
        validation.put("finetuned", accuracy(283));
        validation.put("baseline", accuracy(307));
        assertEquals("baseline", ModelComparison.best(validation));
        validation.put("scratch", accuracy(307));
        assertEquals("baseline", ModelComparison.best(validation), "a tie keeps the one listed first");
        validation.put("glove-cnn", accuracy(307));
        assertEquals("glove-cnn", ModelComparison.best(validation));
    }
}
