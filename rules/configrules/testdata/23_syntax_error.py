# target: 5.5.1
c.Authenticator.allow_all = True
c.Spawner.args = ["--debug"  # want HUB100 "23_syntax_error.py cannot be parsed: .*a bracket opened here is not closed before line 4; lines 3-3 were not analysed"
c.JupyterHub.port = 8000
c.Spawner.notebok_dir = "x"  # want HUB101 "did you mean notebook_dir"
