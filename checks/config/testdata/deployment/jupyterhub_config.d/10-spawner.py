class PatchedSpawner(LocalProcessSpawner):
    async def start(self):
        return await super().start()

c.JupyterHub.spawner_class = PatchedSpawner
c.Spawner.environment = {"LANG": f"{os.environ['LANG']}", **defaults}
c.Spawner.default_url = "/lab"
