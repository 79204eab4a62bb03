/**
 * Speed measurements of training and loading, each beside a reference measured in the same run:
 * {@link io.parsimony.nn.bench.TrainBench} (training steps beside PyTorch eager, run by
 * {@link io.parsimony.nn.bench.TorchReference}) and {@link io.parsimony.nn.bench.LoaderBench}
 * (the batch loader alone). {@code parsimony bench train|data} parse their flags, call these and print.
 */
package io.parsimony.nn.bench;
