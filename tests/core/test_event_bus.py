"""The bus hands every subscriber every event, in order and in batches, and bounds the headless path."""

import asyncio

from app.bus import EventBus
from app.event_runs import EventRun
from app.events import SseComment, TimelineEvent


def events(start: int, count: int) -> list[TimelineEvent]:
    return [TimelineEvent(seq, 0.0, SseComment(str(seq))) for seq in range(start, start + count)]


async def collect(subscription) -> list[list[TimelineEvent]]:
    return [batch async for batch in subscription.batches()]


async def test_every_subscriber_gets_every_event_in_order():
    bus = EventBus()
    first, second = bus.subscribe(), bus.subscribe()
    readers = [asyncio.create_task(collect(first)), asyncio.create_task(collect(second))]
    await bus.publish(events(0, 3))
    await bus.publish(events(3, 2))
    bus.close()
    for batches in await asyncio.gather(*readers):
        assert [event.seq for batch in batches for event in batch] == [0, 1, 2, 3, 4]


async def test_events_published_before_reading_arrive_as_one_batch():
    bus = EventBus()
    subscription = bus.subscribe()
    for start in range(0, 100, 10):
        await bus.publish(events(start, 10))
    bus.close()
    batches = await collect(subscription)
    assert len(batches) == 1
    assert len(batches[0]) == 100


async def test_drain_takes_pending_without_waiting():
    bus = EventBus()
    subscription = bus.subscribe()
    assert subscription.drain() == []
    bus.publish_nowait(events(0, 4))
    assert [event.seq for event in subscription.drain()] == [0, 1, 2, 3]
    assert subscription.drain() == []
    assert not subscription.finished
    bus.close()
    assert subscription.finished


async def test_bounded_subscriber_makes_the_publisher_wait():
    bus = EventBus()
    subscription = bus.subscribe(max_pending=10)
    published = []

    async def produce():
        for start in range(0, 50, 10):
            await bus.publish(events(start, 10))
            published.append(start)
        bus.close()

    producer = asyncio.create_task(produce())
    for _ in range(5):
        await asyncio.sleep(0)
    # The reader has taken nothing, so the publisher is parked after its first batch.
    assert published == []
    assert len(subscription.drain()) == 10
    received = 10
    async for batch in subscription.batches():
        assert len(batch) <= 10
        received += len(batch)
    await producer
    assert received == 50


async def test_unbounded_subscriber_never_blocks_and_cancel_releases_publisher():
    bus = EventBus()
    bounded = bus.subscribe(max_pending=1)
    unbounded = bus.subscribe()
    publisher = asyncio.create_task(bus.publish(events(0, 5)))
    await asyncio.sleep(0)
    assert not publisher.done()
    bounded.cancel()
    await publisher
    assert len(unbounded.drain()) == 5


async def test_a_publisher_on_another_thread_reaches_a_reader_on_this_loop():
    import threading

    bus = EventBus()
    awaiting, draining = bus.subscribe(), bus.subscribe()

    def publish_from_thread():
        for start in range(0, 1000, 10):
            bus.publish_nowait(events(start, 10))
        bus.close()

    reader = asyncio.create_task(collect(awaiting))
    thread = threading.Thread(target=publish_from_thread)
    thread.start()
    batches = await reader
    thread.join()
    assert [event.seq for batch in batches for event in batch] == list(range(1000))
    assert [event.seq for event in draining.drain()] == list(range(1000))


def run_of(start: int, count: int) -> EventRun:
    return EventRun(start, 0.5, tuple(SseComment(str(seq)) for seq in range(start, start + count)), tuple(range(count)))


async def test_a_run_reaches_event_readers_as_its_events_and_item_readers_as_it_is():
    bus = EventBus()
    as_events, as_items = bus.subscribe(), bus.subscribe()
    run = run_of(1, 3)
    bus.publish_nowait([*events(0, 1), run, *events(4, 1)])
    drained = as_events.drain()
    assert [(event.seq, event.t, event.payload, event.size) for event in drained[1:4]] == [
        (1, 0.5, SseComment("1"), 0), (2, 0.5, SseComment("2"), 1), (3, 0.5, SseComment("3"), 2)
    ]
    assert [event.seq for event in drained] == [0, 1, 2, 3, 4]
    assert as_items.drain_items()[1] is run


async def test_the_bound_counts_the_events_of_a_run_not_the_run():
    bus = EventBus()
    subscription = bus.subscribe(max_pending=10)
    publisher = asyncio.create_task(bus.publish([run_of(0, 10)]))
    for _ in range(5):
        await asyncio.sleep(0)
    assert not publisher.done()  # one item, but ten events: the subscriber is full
    assert len(subscription.drain()) == 10
    await publisher
