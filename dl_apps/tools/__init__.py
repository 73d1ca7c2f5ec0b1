"""Developer tools: benchmarks, the browser harness, the home gallery, screenshots."""
