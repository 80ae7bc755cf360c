#!/usr/bin/env python3
"""A TCP proxy that adds a fixed delay to every chunk in both directions.

tc netem is not available on the machines this project is measured on, so
round-trip time is simulated in userspace: with --delay-ms 25 each way, a
connection through the proxy sees 50 ms RTT.

    delay_proxy.py --delay-ms 25 LISTEN_HOST:PORT=TARGET_HOST:PORT ...

Each LISTEN=TARGET pair is one listener. Runs until killed.
"""

import argparse
import asyncio


async def pump(reader, writer, delay):
    # Every chunk is released `delay` after it arrived, in order, without
    # holding back the chunks behind it (a link's latency, not its bandwidth).
    queue = asyncio.Queue()

    async def release():
        while True:
            due, data = await queue.get()
            wait = due - asyncio.get_running_loop().time()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is None:
                break
            writer.write(data)
            await writer.drain()
        try:
            writer.write_eof()
        except (OSError, RuntimeError):
            pass

    task = asyncio.create_task(release())
    try:
        while True:
            data = await reader.read(65536)
            now = asyncio.get_running_loop().time()
            await queue.put((now + delay, data or None))
            if not data:
                break
        await task
    except (ConnectionError, OSError):
        task.cancel()


def handler(target, delay):
    host, port = target

    async def handle(client_reader, client_writer):
        try:
            up_reader, up_writer = await asyncio.open_connection(host, port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            pump(client_reader, up_writer, delay),
            pump(up_reader, client_writer, delay),
        )
        for w in (client_writer, up_writer):
            w.close()

    return handle


def address(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay-ms", type=float, required=True, help="one-way delay")
    parser.add_argument("pairs", nargs="+", metavar="LISTEN=TARGET")
    args = parser.parse_args()
    servers = []
    for pair in args.pairs:
        listen, target = pair.split("=", 1)
        lhost, lport = address(listen)
        servers.append(
            await asyncio.start_server(
                handler(address(target), args.delay_ms / 1000), lhost, lport
            )
        )
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    asyncio.run(main())
