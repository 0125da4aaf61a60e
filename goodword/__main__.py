from goodword.cli import main

main(prog_name="goodword")
