package io.parsimony.cli.train;

import io.parsimony.cli.output.Output;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.train.Checkpoint;
import io.parsimony.nn.train.TrainingListener;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.nn.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import io.parsimony.cli.options.DataOptions;
import io.parsimony.cli.options.RecipeOptions;
import io.parsimony.cli.options.RunOptions;
import java.nio.file.Path;

import java.util.List;

/** Trains one network; checkpoints every epoch; prints and stores the result. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a plain CNN or block-unit ResNet on a real data set (checkpoint every epoch, --resume).")
public final class TrainCommand implements Runnable {

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Mixin
    RecipeOptions recipe;

    @Mixin
    RunOptions runs;

    @Option(names = "--resume", description = "Continue the run in --run from its checkpoint.")
    boolean resume;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (resume && !runs.given()) {
            throw new io.parsimony.cli.output.UserException("--resume needs --run DIR (the run to continue)");
        }
        TrainingRecipe r = recipe.recipe();
        if (resume) {   // before the data is read: a conflicting flag is answered at once
            r = recipe.resumeRecipe(Checkpoint.readHeader(Checkpoint.path(runs.run())).recipe(), spec.commandLine().getParseResult());
        }
        ImageSet train = data.load(Split.TRAIN);
        ImageSet test = data.load(Split.TEST);
        ModelSpec m = model.spec(train);
        Path dir = runs.directory(m.describe());
        TrainingListener listener = runs.listener(m.describe(), output.json());
        TrainingRun.Result result = new TrainingRun(m, r, dir).listener(listener).run(train, test, resume);
        if (output.json()) {
            Output.writeJson(spec.commandLine().getOut(), result);
            return;
        }
        RunTable.print(spec.commandLine().getOut(), List.of(new RunTable.Entry("", result)));
        spec.commandLine().getOut().println("run directory: " + dir + " (checkpoint.bin, metrics.jsonl, result.json)");
        spec.commandLine().getOut().flush();
    }
}
