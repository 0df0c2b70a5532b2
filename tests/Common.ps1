# Dot-sourced by every *.Tests.ps1 (in BeforeAll): imports the built module and gives unique names.
$script:NetNsModule = if ($env:NETNS_MODULE) { $env:NETNS_MODULE } else { Join-Path $PSScriptRoot '../out/NetNs/NetNs.psd1' }
Import-Module $script:NetNsModule -Force -ErrorAction Stop

# A unique, short name (fits IFNAMSIZ: at most 15 bytes): prefix (up to 5 chars) + 6 hex digits.
function New-TestName([string] $Prefix = 't') {
    $Prefix + [guid]::NewGuid().ToString('N').Substring(0, 6)
}

# Asserts that the first error record has this ErrorId (the start of FullyQualifiedErrorId) and category.
function Assert-NetNsError($Errors, [string] $ErrorId, [string] $Category) {
    @($Errors).Count | Should -BeGreaterThan 0
    $e = @($Errors)[0]
    $e.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
    $e.CategoryInfo.Category | Should -Be $Category
}

# Removes namespaces by exact name, ignoring the ones already gone (for AfterAll / finally blocks).
function Remove-TestNamespace([string[]] $Name) {
    foreach ($n in $Name) {
        if ($n -and (Test-Path "/run/netns/$n")) {
            Remove-NetNamespace -Name $n -Force -Confirm:$false -ErrorAction SilentlyContinue
            if (Test-Path "/run/netns/$n") { & ip netns del $n 2>$null }
        }
    }
}

# Removes root-namespace links by exact name, ignoring the ones already gone.
function Remove-TestLink([string[]] $Name) {
    foreach ($n in $Name) { if ($n) { & ip link del dev $n 2>$null } }
}
