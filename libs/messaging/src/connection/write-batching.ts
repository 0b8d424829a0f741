import type { Writable } from 'node:stream';

/** The parts of amqplib's (0.10) connection internals this touches. */
interface MuxInternals {
  _readIncoming(): void;
}
interface ConnectionInternals {
  stream?: Writable;
  muxer?: MuxInternals;
}

/**
 * amqplib hands the socket one write per frame: a turn of the event loop that
 * publishes 1,000 messages or acks 500 costs as many system calls. This corks the
 * socket while amqplib's multiplexer moves frames from the channels to it, so the
 * frames of one turn leave in one `writev`. Nothing is held back: the socket is
 * uncorked before the multiplexer returns, and back-pressure works as before.
 *
 * Returns false (and changes nothing) when the connection does not have the expected
 * shape, e.g. after an amqplib upgrade.
 */
export function batchFrameWrites(model: unknown): boolean {
  const connection = (model as { connection?: ConnectionInternals } | undefined)?.connection;
  const socket = connection?.stream;
  const muxer = connection?.muxer;
  if (!socket || !muxer || typeof muxer._readIncoming !== 'function' || typeof socket.cork !== 'function') return false;
  const moveFrames = muxer._readIncoming.bind(muxer);
  muxer._readIncoming = () => {
    socket.cork();
    try {
      moveFrames();
    } finally {
      socket.uncork();
    }
  };
  return true;
}
