# target: 5.5.1
c.Authenticator.allow_all = True

async def pre_spawn_hook(spawner):
    auth_state = await spawner.user.get_auth_state()
    async with spawner.lock:
        pass
    async for item in spawner.items():
        c.Spawner.startup_timeout = 5  # want HUB101 "did you mean start_timeout\?"
    spawner.environment["TOKEN"] = auth_state["token"]

c.Spawner.pre_spawn_hook = pre_spawn_hook
c.Spawner.auth_state_hook = lambda spawner, state: None
async def post_stop(spawner): await spawner.cleanup()
c.Spawner.post_stop_hook = post_stop
