// Integration tests start real servers: give each test and hook two minutes (testTimeout is a
// global jest option, so the integration project sets it here).
jest.setTimeout(120_000);
