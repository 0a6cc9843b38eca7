from istc_cli.cli import main

main()
