from mlgen.cli import main

main()
