// A table of measured values that scrolls sideways on a narrow screen (and
// can be scrolled by keyboard): the column headings, then the rows given.
export function ScrollTable({
  label,
  testId,
  caption,
  columns,
  children,
}: {
  label: string;
  testId: string;
  caption: React.ReactNode;
  columns: React.ReactNode[];
  children: React.ReactNode;
}) {
  return (
    <div tabIndex={0} role="region" aria-label={label} className="overflow-x-auto">
      <table data-testid={testId} className="w-full text-left text-[13px] tabular-nums">
        <caption className="pb-2 text-left text-sm font-medium">{caption}</caption>
        <thead className="text-zinc-600 dark:text-zinc-400">
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col" className="py-1 pr-3 font-medium">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
