import { writeIsolatingRejects } from './isolate-rejects';

const dataError = Object.assign(new Error('refused'), { code: '22023' });
const transient = (error: unknown) => error !== dataError;

it('sets aside only the refused rows and writes every other one, in order', async () => {
  const written: number[] = [];
  const setAside: number[] = [];
  const bad = new Set([3, 4, 17]);
  const result = await writeIsolatingRejects(
    20,
    async (lo, hi) => {
      for (let i = lo; i < hi; i++) if (bad.has(i)) throw dataError;
      for (let i = lo; i < hi; i++) written.push(i);
    },
    async (i) => void setAside.push(i),
    transient,
  );
  expect(result).toBeUndefined();
  expect(setAside).toEqual([3, 4, 17]);
  expect(written).toEqual([...Array(20).keys()].filter((i) => !bad.has(i)));
});

it('stops at a transient error, returning where nothing is written yet', async () => {
  const lost = new Error('connection lost');
  const result = await writeIsolatingRejects(
    10,
    async (lo, hi) => {
      if (hi - lo === 10) throw dataError; // split: [0, 5) then [5, 10)
      if (lo === 5) throw lost;
    },
    async () => undefined,
    transient,
  );
  expect(result).toEqual({ resumeAt: 5, error: lost });
});
