import { describe, expect, it } from 'vitest';
import { Fifo } from './fifo.js';

describe('Fifo', () => {
  it('behaves like an array used as a queue, through compactions and put-backs', () => {
    const fifo = new Fifo<number>();
    const model: number[] = [];
    let next = 0;
    for (let step = 0; step < 20_000; step++) {
      const op = (step * 7919) % 10;
      if (op < 5) {
        fifo.push(next);
        model.push(next++);
      } else if (op < 9) {
        expect(fifo.shift()).toBe(model.shift());
      } else {
        const taken = [fifo.shift(), fifo.shift(), fifo.shift()].filter((x) => x !== undefined);
        model.splice(0, taken.length);
        fifo.unshift(taken);
        model.unshift(...taken);
      }
      expect(fifo.length).toBe(model.length);
      expect(fifo.first()).toBe(model[0]);
    }
    expect(fifo.toArray()).toEqual(model);
    expect(fifo.drain()).toEqual(model);
    expect(fifo.length).toBe(0);
    expect(fifo.shift()).toBeUndefined();
  });
});
