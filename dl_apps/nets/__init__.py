"""Network definitions (architectures), independent of any task: built and loaded by the tasks' loaders and by the training scripts."""
