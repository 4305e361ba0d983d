from palimpsest.cli import main

main()
