import { SampleBuffer } from './sample-buffer';

const fill = (buffer: SampleBuffer, from: number, to: number) => {
  let dropped = 0;
  for (let i = from; i < to; i++) dropped += buffer.push(i % 7, i * 1000, i);
  return dropped;
};

describe('SampleBuffer', () => {
  it('gives samples back oldest first, across chunks', () => {
    const buffer = new SampleBuffer(100_000);
    fill(buffer, 0, 20_000);
    const first = buffer.take(12_000);
    const rest = buffer.take(100_000);
    expect(first.length).toBe(12_000);
    expect(rest.length).toBe(8000);
    expect(Array.from(first.values.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(first.times[11_999]).toBe(11_999_000);
    expect(rest.values[0]).toBe(12_000);
    expect(rest.series[0]).toBe(12_000 % 7);
    expect(buffer.size).toBe(0);
    expect(buffer.take(10).length).toBe(0);
  });

  it('drops the oldest samples when full and says how many', () => {
    const buffer = new SampleBuffer(1000);
    expect(fill(buffer, 0, 1000)).toBe(0);
    expect(fill(buffer, 1000, 3500)).toBe(2500);
    expect(buffer.size).toBe(1000);
    const all = buffer.take(5000);
    expect(all.values[0]).toBe(2500);
    expect(all.values[999]).toBe(3499);
  });

  it('puts a batch that could not be written back in front, dropping the oldest beyond capacity', () => {
    const buffer = new SampleBuffer(1000);
    fill(buffer, 0, 800);
    const batch = buffer.take(500); // 0..499 in flight, 500..799 buffered
    expect(fill(buffer, 800, 1600)).toBe(100); // 1100 buffered: 500..599 go
    expect(buffer.size).toBe(1000);
    // back in front: 0..499 then 600..1599 = 1500; the oldest 500 (the batch itself) go
    expect(buffer.putBack(batch)).toBe(500);
    const all = buffer.take(5000);
    expect(all.length).toBe(1000);
    expect(all.values[0]).toBe(600);
    expect(all.values[999]).toBe(1599);
  });

  it('keeps order when a batch is put back without overflow', () => {
    const buffer = new SampleBuffer(1000);
    fill(buffer, 0, 10);
    const batch = buffer.take(4);
    fill(buffer, 10, 12);
    expect(buffer.putBack(batch)).toBe(0);
    expect(Array.from(buffer.take(100).values)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});
