import { dayAxisLabel, trendChartOption } from './overview-charts';

/** Which days of a trend chart get a date under them (the interval ECharts is given). */
const labelled = (days: number) => {
  const { interval } = dayAxisLabel(days);
  return Array.from({ length: days }, (_, index) => index).filter((index) => interval(index));
};

describe('the trend charts label their days counting back from the last', () => {
  it.each([
    [1, [0]],
    [7, [0, 1, 2, 3, 4, 5, 6]],
    [15, Array.from({ length: 15 }, (_, i) => i)],
    [30, Array.from({ length: 15 }, (_, i) => 1 + 2 * i)],
    [31, [0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30]],
  ])('%i days: labels under %j', (days, expected) => {
    expect(labelled(days)).toEqual(expected);
  });

  it('always labels the last day, and at most 15 days, up to a year', () => {
    for (let days = 1; days <= 366; days++) {
      const shown = labelled(days);
      expect(shown.at(-1)).toBe(days - 1);
      expect(shown.length).toBeLessThanOrEqual(15);
      expect(shown.length).toBeGreaterThanOrEqual(Math.min(days, 8));
    }
  });

  it("is the overview trend chart's day axis", () => {
    const trend = Array.from({ length: 30 }, (_, i) => ({
      day: new Date(Date.UTC(2026, 10, 3 + i)).toISOString().slice(0, 10),
      workingDay: true,
      pushed: 0,
      claimed: 0,
      escalated: 0,
      vacuum: 0,
    }));
    const { xAxis } = trendChartOption(trend);
    expect(xAxis.axisLabel.interval(29)).toBe(true);
    expect(xAxis.axisLabel.interval(28)).toBe(false);
  });
});
