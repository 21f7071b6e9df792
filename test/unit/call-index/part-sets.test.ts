import { daysWithoutDuplicates } from '../../../lib/call-index/part-sets';

const at = (date: string, name: string, dayParts?: string[]) => ({
  date,
  path: `/archive/index/calls/date=${date}/${name}`,
  dayParts: dayParts && JSON.stringify(dayParts),
});

describe('the days whose parts need no dedupe', () => {
  it('given a day of one part, then it needs none, with or without a list', () => {
    expect(daysWithoutDuplicates([at('2019-06-14', 'part-a.parquet')])).toEqual(
      new Set(['2019-06-14']),
    );
  });

  it('given parts all named by one part’s list, or fewer of them (some later emptied), then none', () => {
    const list = ['part-a.parquet', 'part-b.parquet', 'part-c.parquet'];
    const day = [at('2019-06-14', 'part-a.parquet'), at('2019-06-14', 'part-b.parquet', list)];
    expect(daysWithoutDuplicates(day)).toEqual(new Set(['2019-06-14']));
  });

  it('given a part no list names (a crash before the replaced part went, a second compactor, an erasure), then the day is deduped', () => {
    const crashed = [
      at('2019-06-14', 'part-old.parquet', ['part-old.parquet', 'part-x.parquet']),
      at('2019-06-14', 'part-new.parquet', ['part-new.parquet', 'part-x.parquet']),
      at('2019-06-14', 'part-x.parquet'),
    ];
    const unlisted = [at('2019-06-15', 'part-a.parquet'), at('2019-06-15', 'part-b.parquet')];
    expect(daysWithoutDuplicates([...crashed, ...unlisted])).toEqual(new Set());
  });

  it('given a list that is not a JSON array of names, then it vouches for nothing', () => {
    const day = [
      { ...at('2019-06-14', 'part-a.parquet'), dayParts: '{"part-a.parquet":1}' },
      { ...at('2019-06-14', 'part-b.parquet'), dayParts: 'not json' },
    ];
    expect(daysWithoutDuplicates(day)).toEqual(new Set());
  });
});
