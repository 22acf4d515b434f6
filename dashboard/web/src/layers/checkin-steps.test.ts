import { describe, expect, it } from 'vitest';
import { CHECKIN_STEPS, checkinColour, checkinShareColour, checkinStep, NO_POINTS } from './checkin-steps.js';

const colour = (entry: string) => CHECKIN_STEPS.find((s) => s.entry === entry)!.colour;

describe('check-in coverage steps', () => {
  it('puts each share in its step: none, under half, half or more, all', () => {
    expect(checkinColour(3, 0)).toEqual(colour('none'));
    expect(checkinColour(3, 1)).toEqual(colour('low'));
    expect(checkinColour(2, 1)).toEqual(colour('low'));
    expect(checkinColour(3, 2)).toEqual(colour('most'));
    expect(checkinColour(1000, 999)).toEqual(colour('most'));
    expect(checkinColour(3, 3)).toEqual(colour('all'));
    expect(checkinStep(0.67)?.entry).toBe('most');
  });

  it('draws a grid without points grey, apart from "none visited"', () => {
    expect(checkinColour(0, 0)).toEqual(NO_POINTS);
    expect(checkinShareColour(null)).toEqual(NO_POINTS);
    expect(checkinStep(null)).toBeNull();
    expect(NO_POINTS).not.toEqual(colour('none'));
  });

  it('has four distinct colours in rising order of share', () => {
    expect(CHECKIN_STEPS.map((s) => s.entry)).toEqual(['none', 'low', 'most', 'all']);
    expect(new Set(CHECKIN_STEPS.map((s) => s.colour.join())).size).toBe(4);
    const ups = CHECKIN_STEPS.map((s) => s.upTo);
    expect([...ups].sort((a, b) => a - b)).toEqual(ups);
  });
});
