from istc_cli.entry import main

main()
