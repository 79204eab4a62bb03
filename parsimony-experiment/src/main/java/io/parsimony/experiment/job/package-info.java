/**
 * One training as a unit of work, below the store and the sweeps that pass it around: the job a
 * worker trains ({@link io.parsimony.experiment.job.TrainingJob}), what it produced
 * ({@link io.parsimony.experiment.job.JobOutcome}), the canonical JSON and hashes that key it
 * ({@link io.parsimony.experiment.job.Hashing}) and the software versions recorded with it.
 */
package io.parsimony.experiment.job;
