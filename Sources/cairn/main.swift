// Entry point: argument parsing and wiring only; the work lives in the library targets.
Cairn.main()
