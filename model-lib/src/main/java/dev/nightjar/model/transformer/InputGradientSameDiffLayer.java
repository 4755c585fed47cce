package dev.nightjar.model.transformer;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.DL4JSameDiffMemoryMgr;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.base.Preconditions;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DL4J 1.0.0-M2's {@link SameDiffLayer} for a first layer whose input needs no gradient (token ids): the backward
 * pass asks SameDiff for the parameters' gradients only and hands down zeros. Upstream's asks for the input's too,
 * which a one-hot of integer ids does not have, and the input gradient it hands down was found to be zeros anyway
 * ({@code TransformerGradientTest}, with one SameDiff layer per block). The rest is the upstream method's.
 */
final class InputGradientSameDiffLayer extends SameDiffLayer {
    private static final long serialVersionUID = 1L;

    InputGradientSameDiffLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** What {@code SameDiffLayer.instantiate} does, with this class as the runtime layer. */
    static Layer instantiate(org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer layer, NeuralNetConfiguration conf,
                             Collection<TrainingListener> listeners, int index, INDArray params, boolean initialize, DataType dataType) {
        InputGradientSameDiffLayer ret = new InputGradientSameDiffLayer(conf, dataType);
        ret.setIndex(index);
        ret.setParamsViewArray(params);
        Map<String, INDArray> table = layer.initializer().init(conf, params, initialize);
        ret.setParamTable(table);
        ret.setConf(conf);
        return ret;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Gradient g = new DefaultGradient();
        INDArray dLdIn;
        MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try {
            if (sameDiff == null) {
                doInit();
            }
            if (!sameDiff.hasGradientFunction()) {
                sameDiff.createGradFunction(paramTable.keySet().toArray(new String[0]));
            }
        } finally {
            ws.close();
        }
        SameDiff grad = sameDiff.getFunction("grad");
        long thread = Thread.currentThread().getId();
        if (!grad.getSessions().containsKey(thread)) {
            grad.getSessions().put(thread, SameDiff.getInferenceFactory().create(grad));
        }
        String wsNameWorking = workspaceMgr.getWorkspaceName(ArrayType.BP_WORKING_MEM);
        String wsNameActGrad = workspaceMgr.getWorkspaceName(ArrayType.ACTIVATION_GRAD);
        boolean actGradScopedOut = workspaceMgr.isScopedOut(ArrayType.ACTIVATION_GRAD);
        Preconditions.checkState(actGradScopedOut || wsNameActGrad != null, "Activation gradients must have a workspace or be scoped out");
        grad.getSessions().get(thread).setMmgr(new DL4JSameDiffMemoryMgr(wsNameWorking, wsNameActGrad,
                workspaceMgr.getConfiguration(ArrayType.BP_WORKING_MEM), workspaceMgr.getConfiguration(ArrayType.ACTIVATION_GRAD)));

        ((org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer) layerConf()).validateInput(input);
        Map<String, INDArray> phMap = new HashMap<>();
        phMap.put(INPUT_KEY, input);
        phMap.put(fn.getGradPlaceholderName(), epsilon);
        phMap.put(MASK_KEY, maskArray != null ? maskArray : layerConf().onesMaskForInput(input));
        List<String> required = new ArrayList<>(paramTable.keySet());
        Map<String, INDArray> m = sameDiff.calculateGradients(phMap, required);
        for (String s : paramTable.keySet()) {
            INDArray dl4jGrad = gradTable.get(s);
            dl4jGrad.assign(m.get(s));
            g.gradientForVariable().put(s, dl4jGrad);
        }
        dLdIn = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape()); // zeros: ids have no gradient
        dLdIn.assign(0);
        sameDiff.clearPlaceholders(true);
        sameDiff.clearOpInputs();
        return new Pair<>(g, dLdIn);
    }
}
